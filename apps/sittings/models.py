"""Sittings: the dated meetings of any body (a workshop's panel, a council, later the public
meetings of the neighbourhood agenda), with their agenda, minutes, documents and attendance.

A sitting belongs to its body through a content type and an id, so that this app knows no
module: the module gives its model a ``GenericRelation`` to ``Sitting`` (deleting the body
deletes its sittings) and asks its own rules before calling the services here. Attendance
names the member the same way (a workshop's ``PanelMember``, a council's ``Membership``):
whoever sat is the module's business, the sitting only records that they were there.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.richtext import render_rich_text
from apps.core.uploads import UploadPath


class Sitting(models.Model):
    body_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    body_id = models.PositiveBigIntegerField()
    body = GenericForeignKey("body_type", "body_id")
    title = models.CharField(_("titre"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    # Councils note when a meeting starts only; workshops count hours, so they require it.
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=250)
    agenda = models.TextField(_("ordre du jour"), blank=True, help_text=_("Mise en forme légère possible (Markdown)."))
    agenda_html = models.TextField(editable=False, blank=True)
    experts_heard = models.TextField(_("experts entendus"), blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True, help_text=_("Mise en forme légère possible (Markdown)."))
    minutes_html = models.TextField(editable=False, blank=True)
    is_published = models.BooleanField(_("publiée"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="sitting_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["body_type", "body_id", "is_published", "starts_at"], name="sitting_body_published"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.agenda_html = render_rich_text(self.agenda)
        self.minutes_html = render_rich_text(self.minutes)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The public page of the sitting, which the body's model knows (``sitting_url``)."""
        body: Any = self.body
        return str(body.sitting_url(self)) if hasattr(body, "sitting_url") else str(body.get_absolute_url())

    @property
    def hours(self) -> Decimal:
        """Length in hours, to a tenth (what an attestation counts); zero without an end."""
        if self.ends_at is None:
            return Decimal(0)
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.5"))

    def belongs_to_model(self, model: type[models.Model]) -> bool:
        return self.body_type_id == ContentType.objects.get_for_model(model).pk

    def belongs_to(self, body: models.Model) -> bool:
        return self.belongs_to_model(type(body)) and self.body_id == body.pk


class Document(models.Model):
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre du document"), max_length=200)
    file = models.FileField(_("fichier PDF"), upload_to=UploadPath("sittings", kind="pdf"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("document de séance")
        verbose_name_plural = _("documents de séance")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Présent·e")
        EXCUSED = "excused", _("Excusé·e")
        ABSENT = "absent", _("Absent·e")

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="attendances")
    member_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    member_id = models.PositiveBigIntegerField()
    member = GenericForeignKey("member_type", "member_id")
    status = models.CharField(_("présence"), max_length=10, choices=Status.choices, default=Status.PRESENT)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "member_type", "member_id"], name="sitting_one_attendance_per_member"
            ),
        ]
        indexes = [models.Index(fields=["member_type", "member_id"], name="attendance_member")]

    def __str__(self) -> str:
        return f"{self.member_type_id}:{self.member_id} @ {self.sitting_id} — {self.status}"
