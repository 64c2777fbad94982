"""Cover pictures of anything a resident meets on a card: one model shape, one form part, one write.

A process, a budget project, a workshop, a council carry the same four fields (``Covered``):
the picture re-encoded on upload (apps.core.uploads: real image content only, no metadata, a
random name), its size, and its text alternative, which the database requires whenever there is
a picture. ``CoverFormMixin`` gives every form the same field, the same French errors and the same
« retirer » box; ``cover_apply`` is the single path from an upload to stored files (the
re-encoded original and its smaller WebP copies of apps.core.pictures). ``is_cover_of`` lets a
module say which of its covers are public (its manifest's ``public_file``).
"""

from __future__ import annotations

from typing import Any, Protocol

from django import forms
from django.core.files.base import File
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core import pictures
from apps.core.uploads import UploadPath, reencode_image, validate_image_upload

COVER_FIELDS = ("cover", "cover_width", "cover_height", "cover_alt")
_FORM_FIELDS = frozenset({"cover_file", "cover_alt", "remove_cover"})
ALT_REQUIRED = _("Décrivez l'image : le texte alternatif est obligatoire quand une image est jointe.")


class CoveredObject(Protocol):
    """What the design tags and ``cover_apply`` need of an object with a cover."""

    cover: Any
    cover_alt: str
    cover_width: int | None
    cover_height: int | None


class Covered(models.Model):
    """The cover fields. Add ``cover_alt_constraint(<name>)`` to the concrete model's constraints."""

    cover = models.ImageField(
        _("image de couverture"),
        upload_to=UploadPath("covers"),
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        _("description de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas (obligatoire avec une image)."),
    )

    class Meta:
        abstract = True


def cover_alt_constraint(name: str) -> models.CheckConstraint:
    """No picture without its text alternative, whatever writes the row (RGAA 1.1)."""
    return models.CheckConstraint(condition=Q(cover="") | ~Q(cover_alt=""), name=name)


class CoverFormMixin(forms.Form):
    """The picture part of a form: the file, its description, « retirer ». Put it first in the
    bases of a ModelForm (``class F(CoverFormMixin, forms.ModelForm[...])``) and leave the cover
    fields out of ``Meta.fields``: ``cover_values()`` hands them to ``cover_apply``."""

    # A plain file field: validate_image_upload gives the French errors (bomb, format, weight)
    # and cover_apply re-encodes the picture under a random name.
    cover_file = forms.FileField(
        label=_("Image de couverture (facultative)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=_("JPEG, PNG ou WebP. Elle illustre la page et sa carte dans les listes."),
    )
    cover_alt = forms.CharField(
        label=_("Description de l'image"),
        max_length=250,
        required=False,
        help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas (obligatoire avec une image)."),
    )
    remove_cover = forms.BooleanField(label=_("Retirer l'image actuelle"), required=False)

    #: Set by a plain (non-model) form that edits an object which already has a picture.
    current_cover: Any = None

    def existing_cover(self) -> Any:
        instance = getattr(self, "instance", None)
        return getattr(instance, "cover", None) or self.current_cover

    def clean_cover_file(self) -> Any:
        upload = self.cleaned_data.get("cover_file")
        if upload:
            validate_image_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        keeps = bool(self.existing_cover()) and not cleaned.get("remove_cover")
        if (cleaned.get("cover_file") or keeps) and not (cleaned.get("cover_alt") or "").strip():
            self.add_error("cover_alt", ALT_REQUIRED)
        return cleaned

    def data_without_cover(self) -> dict[str, Any]:
        """The cleaned data of the other fields (what a module service takes as keywords)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in _FORM_FIELDS}

    def cover_values(self) -> dict[str, Any]:
        """Keyword arguments of ``cover_apply`` (and of the module services that call it)."""
        return {
            "upload": self.cleaned_data.get("cover_file") or None,
            "alt": (self.cleaned_data.get("cover_alt") or "").strip(),
            "remove": bool(self.cleaned_data.get("remove_cover")),
        }


def cover_apply(instance: CoveredObject, *, upload: File[Any] | None, alt: str, remove: bool = False) -> bool:
    """Set the cover of ``instance`` (not saved: the caller saves it, in its transaction).

    ``upload`` (validated by the form; checked again here by the re-encoding) replaces the
    picture and gets its smaller copies; ``remove`` drops it; otherwise only the text
    alternative changes. The replaced files go once the transaction commits, so a rollback keeps
    the page's picture. Returns True when the picture itself changed."""
    old = instance.cover.name or ""
    if upload is None and not remove:
        instance.cover_alt = alt if old else ""
        return False
    instance.cover = ""
    instance.cover_alt = alt if upload is not None else ""
    if upload is not None:
        stored = reencode_image(upload)
        instance.cover.save(stored.name or "", stored, save=False)
        pictures.make_variants(instance.cover.name)
    if old and old != instance.cover.name:
        transaction.on_commit(lambda: pictures.delete_with_variants(old))
    return upload is not None or bool(old)


def is_cover_of(name: str, queryset: QuerySet[Any], field: str = "cover") -> bool:
    """True when ``name`` is the picture (``field``) of a row of ``queryset`` (the public
    ones), or one of its smaller copies."""
    stem = pictures.original_of(name)
    if stem is not None:
        return bool(queryset.filter(**{f"{field}__startswith": f"{stem}."}).exists())
    return bool(queryset.filter(**{field: name}).exists())


def cover_picture(obj: Any, field: str = "cover") -> pictures.Picture | None:
    """The responsive picture of ``obj``'s cover (or of another picture field with the same
    ``_alt``, ``_width`` and ``_height`` companions), or None: draw the fallback."""
    image = getattr(obj, field, None) if obj is not None else None
    if not image:
        return None
    alt, width, height = (getattr(obj, f"{field}_{part}") for part in ("alt", "width", "height"))
    if not width or not height:
        # A picture stored before its size was kept: shown as it is, without smaller copies.
        return pictures.Picture(src=image.url, srcset="", alt=alt, width=0, height=0)
    return pictures.picture(image.name, alt, width, height)
