"""The end of a supported project: the receipts (« justificatifs ») of what was spent, and the
closing report (« bilan de projet ») its holder files and an agent validates, which closes the
project and its commitment in the follow-up.

Receipts and report photos are private: their holders and the quartier's agents open them through
a view that checks who asks (``/media/`` never serves them: the module declares no public file).
They are stored under a random name by the platform's upload primitives (a PDF checked by its
bytes, an image decoded and written again without its metadata).

Re-exported by ``models.py`` (Django loads the models from there)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import EXTENSIONS, UploadPath


@deconstructible
class AttachmentPath(UploadPath):
    """A receipt is a PDF or a photo: both extensions are kept (anything else becomes ``.bin``,
    never served)."""

    def allowed_extensions(self) -> set[str]:
        return {"pdf", *EXTENSIONS.values()}


class Attachment(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Justificatif de dépense")
        PHOTO = "photo", _("Photo du projet")

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("Type"), max_length=10, choices=Kind.choices, default=Kind.RECEIPT)
    label = models.CharField(
        _("Ce que c'est"), max_length=200, help_text=_("Par exemple : facture du loueur de barnums.")
    )
    amount = models.DecimalField(
        _("Montant (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Le montant du justificatif, s'il y en a un."),
    )
    file = models.FileField(upload_to=AttachmentPath("initiatives/justificatifs", kind="attachment"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("pièce jointe d'une initiative")
        verbose_name_plural = _("pièces jointes d'une initiative")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="attachment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_pdf(self) -> bool:
        return str(self.file.name).lower().endswith(".pdf")


class ClosingReport(models.Model):
    class State(models.TextChoices):
        FILED = "filed", _("Déposé, en attente de validation")
        RETURNED = "returned", _("À compléter")
        VALIDATED = "validated", _("Validé : projet clos")

    initiative = models.OneToOneField("initiatives.Initiative", on_delete=models.PROTECT, related_name="report")
    done = models.TextField(_("Ce qui a été fait"), max_length=5000)
    participants = models.PositiveIntegerField(_("Nombre de participant·es"))
    participants_note = models.CharField(
        _("Qui a participé"),
        max_length=500,
        blank=True,
        help_text=_("Par exemple : des familles, l'école, deux associations."),
    )
    spent = models.DecimalField(
        _("Dépensé (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    # The amount granted when the report was filed (the decision's), kept so the report reads alone.
    granted = models.DecimalField(max_digits=12, decimal_places=2, editable=False)
    difference_note = models.TextField(_("Si la dépense diffère de l'aide, pourquoi"), max_length=2000, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.FILED, editable=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    filed_at = models.DateTimeField(editable=False)
    review_note = models.TextField(_("Message au porteur ou à la porteuse"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("bilan de projet")
        verbose_name_plural = _("bilans de projet")
        constraints = [
            models.CheckConstraint(condition=Q(spent__gte=0), name="report_spent_not_negative"),
            models.CheckConstraint(
                condition=~Q(state="validated") | Q(reviewed_at__isnull=False), name="report_validated_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.state}"

    def receipts_total(self) -> Decimal:
        total: Any = self.initiative.attachments.filter(kind=Attachment.Kind.RECEIPT).aggregate(
            total=models.Sum("amount")
        )["total"]
        return total or Decimal("0.00")
