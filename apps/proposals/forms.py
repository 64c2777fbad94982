"""Forms of the public proposals pages. They parse and validate input; services write."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core import sql
from apps.core.models import Process, Territory, Theme
from apps.core.uploads import validate_image_upload
from apps.discussion.models import Comment
from apps.proposals.models import Proposal, Status
from apps.proposals.placement import placed_territory, process_territories, territories_under

MAX_IMAGES = 3
WITHDRAWN = "retiree"
SORTS = {"recent": _("Les plus récentes"), "soutiens": _("Les plus soutenues"), "hasard": _("Au hasard")}
SEED_MAX = 233279


def process_themes(process: Process) -> QuerySet[Theme]:
    themes = process.themes.all()
    return themes if themes.exists() else Theme.objects.all()


FILTER_FIELDS = ("q", "quartier", "theme", "etat", "tri")
FILTER_PARAMS = (*FILTER_FIELDS, "graine")  # every parameter of ProposalFilterForm


@dataclass(frozen=True)
class FilterControl:
    """One filter field as ``proposals/_filters.html`` shows it; hashable, since the template
    memoises each control's markup by its values (``{% memo %}``)."""

    name: str
    id: str
    label: str
    value: str
    errors: tuple[str, ...]
    options: SafeString | str  # rendered <option>s; empty for the search box


def _place_choices(bound: Mapping[str, Any]) -> QuerySet[Any]:
    return territories_under(bound["territory"]).values_list("slug", "name")


def _process_theme_choices(bound: Mapping[str, Any]) -> QuerySet[Any]:
    return Theme.objects.filter(processes=bound["process"]).values_list("slug", "name")


def _all_theme_choices(_bound: Mapping[str, Any]) -> QuerySet[Any]:
    return Theme.objects.values_list("slug", "name")


def filter_choices(process: Process) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(slug, name) of the territories and themes of ``process``, for the list filters: those
    of :func:`process_territories` and :func:`process_themes`, read with statements compiled
    once (``sql.compiled``, prepared on PostgreSQL): the list asks for them again after every
    new or changed proposal."""

    def rows(name: str, build: Callable[[Mapping[str, Any]], QuerySet[Any]], values: dict[str, Any]) -> list[Any]:
        return sql.compiled_rows(sql.compiled(("proposals.filter", name), build, values), values)

    territory = process.territory_id
    territories = rows("territories", _place_choices, {"territory": territory}) if territory is not None else []
    themes = rows("process-themes", _process_theme_choices, {"process": process.pk})
    return territories, themes or rows("all-themes", _all_theme_choices, {})


@functools.lru_cache(maxsize=64)
def _filter_fields(
    territories: tuple[tuple[str, str], ...], themes: tuple[tuple[str, str], ...]
) -> dict[str, forms.Field]:
    """The fields of :class:`ProposalFilterForm` for these choices, built once per choices
    (a version of the process's territories and themes) and shared by the forms: a form
    deep-copies its declared fields and normalises ~70 choices on every list request, more
    than the rest of its validation. Shared, so never changed after this: no form writes to
    its fields (widgets, choices) in a request."""
    etats = [("", _("Toutes (sauf retirées)")), *Status.choices, (WITHDRAWN, _("Retirées par leur auteur·rice"))]
    return {
        "q": forms.CharField(label=_("Rechercher"), required=False, max_length=200, widget=forms.SearchInput),
        "quartier": forms.ChoiceField(
            label=_("Quartier"), required=False, choices=[("", _("Tous les quartiers")), *territories]
        ),
        "theme": forms.ChoiceField(label=_("Thème"), required=False, choices=[("", _("Tous les thèmes")), *themes]),
        "etat": forms.ChoiceField(label=_("État"), required=False, choices=etats),
        "tri": forms.ChoiceField(label=_("Trier par"), required=False, choices=list(SORTS.items())),
        "graine": forms.IntegerField(required=False, min_value=1, max_value=SEED_MAX, widget=forms.HiddenInput),
    }


@functools.lru_cache(maxsize=256)
def _options(field: forms.ChoiceField, language: str | None) -> tuple[tuple[str, str, str], ...]:
    """Each choice of ``field`` as (value, ``<option>``, selected ``<option>``), escaped like
    django.utils.html.escape, in ``language`` (the labels are lazy translations)."""
    options = []
    for choice, label in cast(list[tuple[str, str]], field.choices):
        value, text = escape(str(choice)), escape(str(label))
        options.append(
            (
                str(choice),
                f'<option value="{value}">{text}</option>',
                f'<option value="{value}" selected>{text}</option>',
            )
        )
    return tuple(options)


class ProposalFilterForm(forms.Form):
    """The list filters. Every parameter is a closed choice: nothing else reaches the query.

    Fields: ``q`` (search), ``quartier``, ``theme``, ``etat``, ``tri`` and ``graine`` (the
    random sort's seed), from :func:`_filter_fields`."""

    def __init__(
        self, *args: Any, territories: list[tuple[str, str]], themes: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        """``territories`` and ``themes``: (slug, name) pairs, see :func:`filter_choices`."""
        super().__init__(*args, **kwargs)
        self.fields = dict(_filter_fields(tuple(territories), tuple(themes)))

    def controls(self, names: tuple[str, ...] = FILTER_FIELDS) -> list[FilterControl]:
        """The filter fields, ready for ``proposals/_filters.html``.

        The ``<option>``s are built here: through the widget templates the ~70 options of a
        list page cost more than the rest of the page. Each option's markup is made once
        per field and language (:func:`_options`).
        """
        language = get_language()
        controls = []
        for name in names:
            bound = self[name]
            value = bound.value()
            current = "" if value is None else str(value)
            errors = tuple(str(error) for error in bound.errors)
            field = self.fields[name]
            options = ""
            if isinstance(field, forms.ChoiceField):
                options = mark_safe(  # escaped in _options
                    "".join([chosen if raw == current else plain for raw, plain, chosen in _options(field, language)])
                )
            controls.append(
                FilterControl(
                    name=name, id=f"id_{name}", label=str(field.label), value=current, errors=errors, options=options
                )
            )
        return controls

    def params(self) -> dict[str, str]:
        """Valid, non-empty parameters, to carry into the pagination links."""
        if not hasattr(self, "cleaned_data"):
            return {}
        return {key: str(value) for key, value in self.cleaned_data.items() if value not in (None, "")}


def _coordinate(label: str, limit: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-limit),
        max_value=Decimal(limit),
        widget=forms.HiddenInput,
    )


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Titre"),
        max_length=150,
        min_length=5,
        help_text=_("Une phrase courte qui résume votre idée."),
    )
    body = forms.CharField(
        label=_("Votre proposition"),
        widget=forms.Textarea(attrs={"rows": 10}),
        min_length=20,
        help_text=_(
            "Mise en forme possible : **gras**, *italique*, listes (une ligne commençant par « - »), "
            "liens [texte](https://…). Les images et les scripts ne sont pas acceptés dans le texte."
        ),
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"), queryset=Theme.objects.none(), required=False, empty_label=_("— Choisir un thème —")
    )
    territory = forms.ModelChoiceField(
        label=_("Quartier"), queryset=Territory.objects.none(), required=False, empty_label=_("— Choisir un quartier —")
    )
    address = forms.CharField(
        label=_("Adresse ou lieu"),
        max_length=250,
        required=False,
        help_text=_("Par exemple : « square Maurice-Schwob » ou « 12 rue de la Paix ». Facultatif."),
    )
    latitude = _coordinate(str(_("Latitude")), 90)
    longitude = _coordinate(str(_("Longitude")), 180)

    def __init__(self, *args: Any, process: Process, existing_images: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        cast(forms.ModelChoiceField[Any], self.fields["theme"]).queryset = process_themes(process)
        cast(forms.ModelChoiceField[Any], self.fields["territory"]).queryset = process_territories(process)
        # static/js/maps.js: suggestions under the field, a chosen street moves the map picker.
        self.fields["address"].widget.attrs.update(
            {"data-address-search": "adresse-suggestions", "data-config": "carte-config", "data-picker": "carte-choix"}
        )
        self.image_slots = max(0, MAX_IMAGES - existing_images)
        for index in range(1, self.image_slots + 1):
            # A plain file field: the content check (decoded by Pillow, size cap) is
            # validate_image_upload, whose French messages become field errors in clean().
            self.fields[f"image_{index}"] = forms.FileField(
                label=_("Image %(number)s") % {"number": index},
                required=False,
                help_text=_("JPEG, PNG, WebP ou GIF, 5 Mo au maximum."),
            )
            self.fields[f"image_{index}"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
            self.fields[f"alt_{index}"] = forms.CharField(
                label=_("Texte alternatif de l'image %(number)s") % {"number": index},
                required=False,
                max_length=250,
                help_text=_("Obligatoire avec une image : décrivez ce qu'elle montre pour qui ne la voit pas."),
            )

    def image_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"image_{i}"], self[f"alt_{i}"]) for i in range(1, self.image_slots + 1)]

    def _clean_image(self, index: int) -> UploadedFile | None:
        upload = self.files.get(self.add_prefix(f"image_{index}"))
        if not upload:
            return None
        try:
            validate_image_upload(upload)
        except ValidationError as error:
            self.add_error(f"image_{index}", error)
            return None
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        images: list[tuple[UploadedFile, str]] = []
        for index in range(1, self.image_slots + 1):
            if f"image_{index}" in self.errors:
                continue
            upload = self._clean_image(index)
            alt_text = (cleaned.get(f"alt_{index}") or "").strip()
            if upload is not None and not alt_text:
                self.add_error(
                    f"alt_{index}",
                    _("Décrivez l'image %(number)s : le texte alternatif est obligatoire.") % {"number": index},
                )
            elif upload is not None:
                images.append((upload, alt_text))
        cleaned["images"] = images
        # The coordinates are hidden inputs filled by the map: report their errors where they show.
        for name in ("latitude", "longitude"):
            if name in self.errors:
                del self.errors[name]
                self.add_error(None, _("La position choisie sur la carte n'est pas valide : cliquez à nouveau."))
                cleaned["latitude"] = cleaned["longitude"] = None
                break
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            cleaned["latitude"] = cleaned["longitude"] = None
        self._place(cleaned)
        if self.errors and any(self.files.get(self.add_prefix(f"image_{i}")) for i in range(1, MAX_IMAGES + 1)):
            # A browser never refills a file input: say so rather than lose the image silently.
            self.add_error(None, _("Pour des raisons de sécurité, sélectionnez à nouveau vos images."))
        return cleaned

    def _place(self, cleaned: dict[str, Any]) -> None:
        """The quartier under the point replaces the one chosen in the list (the service
        decides again; this only shows the resident the outcome or the error in place)."""
        if "territory" in self.errors:
            return
        try:
            cleaned["territory"] = placed_territory(
                self.process,
                territory=cleaned.get("territory"),
                latitude=cleaned.get("latitude"),
                longitude=cleaned.get("longitude"),
            )
        except ValidationError as error:
            self.add_error(None, error)

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict[str, Any]:
        return {
            "title": proposal.title,
            "body": proposal.body,
            "theme": proposal.theme_id,
            "territory": proposal.territory_id,
            "address": proposal.address,
            "latitude": proposal.latitude,
            "longitude": proposal.longitude,
        }


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Votre commentaire"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    stance = forms.ChoiceField(
        label=_("Votre position"),
        choices=Comment.Stance.choices,
        initial=Comment.Stance.NEUTRAL,
        widget=forms.RadioSelect,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].strip()
        if len(body) < 2:
            raise ValidationError(_("Écrivez votre commentaire."))
        return body
