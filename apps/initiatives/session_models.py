"""Sessions of an appel à agir « en sessions »: the call is examined at dated sessions (say, each
quarter). A dossier filed up to a session's cutoff day is examined at that session together with
the others filed for it; every dossier that meets the published criteria is supported, without a
ranking vote, from the money the session may spend: the tranches released up to this session
minus what earlier sessions granted (what a session leaves rolls to the next one). When the
dossiers of one session ask together for more than that, the published rule of the call applies
(:mod:`apps.initiatives.sessions`: pro rata of the amounts asked, to the cent).

Re-exported by ``models.py`` (Django loads the models from there)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CallSession(models.Model):
    class Rule(models.TextChoices):
        FULL = "full", _("Chaque dossier conforme reçoit ce qu'il demande")
        PRO_RATA = "pro_rata", _("Répartition au prorata des montants demandés")

    call = models.ForeignKey("initiatives.Call", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("Nom de la session"), max_length=120, help_text=_("Par exemple : session de printemps."))
    cutoff = models.DateField(
        _("Dépôts jusqu'au"), help_text=_("Les dossiers déposés jusqu'à ce jour inclus sont examinés à cette session.")
    )
    examines_on = models.DateField(_("Examen le"))
    tranche = models.DecimalField(
        _("Part de l'enveloppe ouverte à cette session (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Ce qu'une session ne dépense pas s'ajoute à la suivante."),
    )
    # Written once, when the session is examined (under the call's row lock): what it could spend,
    # what was asked, what it granted, the rule it applied. Published on the call's page.
    examined_at = models.DateTimeField(null=True, blank=True, editable=False)
    examined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    available = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, editable=False)
    requested = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, editable=False)
    granted = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, editable=False)
    rule = models.CharField(max_length=10, choices=Rule.choices, blank=True, editable=False)

    class Meta:
        ordering = ["cutoff", "pk"]
        verbose_name = _("session d'un appel")
        verbose_name_plural = _("sessions d'un appel")
        constraints = [
            models.UniqueConstraint(fields=["call", "cutoff"], name="call_session_one_per_cutoff"),
            models.CheckConstraint(condition=Q(examines_on__gte=models.F("cutoff")), name="session_examined_after"),
            models.CheckConstraint(
                condition=Q(examined_at__isnull=True) | Q(granted__lte=models.F("available")),
                name="session_within_available",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_examined(self) -> bool:
        return self.examined_at is not None

    @property
    def rolled_over(self) -> Decimal | None:
        """What the session left to the next one (None before it is examined)."""
        if self.available is None or self.granted is None:
            return None
        return self.available - self.granted
