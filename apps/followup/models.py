"""Follow-up (droit de suite): every commitment the city makes, tracked until done.

A commitment points at what it came from (a proposal today; a budget project or a
workshop recommendation in later modules) through a generic relation, so the
follow-up page of a process lists them all in one place.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process, Service, Territory
from apps.core.uploads import UploadPath


class Commitment(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Programmé")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Réalisé")
        ABANDONED = "abandoned", _("Abandonné")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="commitments")
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    planned_date = models.DateField(_("date prévue"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    state = models.CharField(_("état"), max_length=12, choices=State.choices, default=State.PLANNED)
    made_with_residents = models.BooleanField(_("fait avec les habitants"), default=False)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["planned_date", "pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="commitment_progress_max_100"),
            models.UniqueConstraint(fields=["source_type", "source_id"], name="one_commitment_per_source"),
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="commitment_source")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("followup:commitment", kwargs={"pk": self.pk})

    @property
    def source_kind(self) -> str:
        """What the commitment answers, in words: "proposition", "projet", "recommandation"…
        (the verbose name of the source's model; empty for the city's own commitments)."""
        source = self.source
        return str(source._meta.verbose_name) if source is not None else ""

    @property
    def is_overdue(self) -> bool:
        return (
            self.planned_date is not None
            and self.state in {self.State.PLANNED, self.State.IN_PROGRESS}
            and self.planned_date < timezone.localdate()
        )


class CommitmentUpdate(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    body = models.TextField(_("point d'étape"))
    progress = models.PositiveSmallIntegerField(_("avancement (%)"))
    state = models.CharField(_("état"), max_length=12, choices=Commitment.State.choices)
    # Re-encoded on upload with smaller WebP copies for phones (apps.core.pictures); its size is
    # written by the service (no ``width_field``: Django would open every older photo, missing
    # or not, each time a row is loaded to measure it).
    photo = models.ImageField(_("photo"), upload_to=UploadPath("commitments"), blank=True)
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(_("texte alternatif de la photo"), max_length=250, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("point d'étape")
        verbose_name_plural = _("points d'étape")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="update_progress_max_100"),
            models.CheckConstraint(condition=Q(photo="") | ~Q(photo_alt=""), name="update_photo_has_alt"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.date}"

    def clean(self) -> None:
        # A photo nobody can describe is a photo blind residents cannot follow (RGAA 1.1).
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": _("Décrivez la photo : le texte alternatif est obligatoire quand une photo est jointe.")}
            )
