"""Connecting people to a project and recognising their time: « rejoindre » (a resident offers
help to an initiative) and the time given to it (hours and skills practised, recorded by the
holder or an agent and attested in a PDF, the seed's « reconnaissance des savoir-faire »).

Re-exported by ``models.py`` (Django loads the models from there)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A day of volunteering is at most a day; quarter hours are enough.
MAX_HOURS = Decimal("24.00")


class HelpOffer(models.Model):
    """A resident offers help to a project. Shown to the holder and the quartier's staff only;
    the public sees how many people joined, never who."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="offers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    skills = models.CharField(
        _("Ce que vous pouvez apporter"),
        max_length=300,
        help_text=_("Par exemple : bricolage, cuisine, traduction en arabe, deux heures le samedi."),
    )
    message = models.TextField(_("Un mot pour le porteur ou la porteuse du projet"), max_length=1000, blank=True)
    contact = models.CharField(
        _("Comment vous joindre (facultatif)"),
        max_length=200,
        blank=True,
        help_text=_("Un téléphone ou un e-mail, transmis seulement au porteur ou à la porteuse du projet."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("proposition d'aide")
        verbose_name_plural = _("propositions d'aide")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="help_offer_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.person_id}"


class TimeGiven(models.Model):
    """Hours given to a project on a day, with the skills practised: what the attestation lists."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="time_given")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("Personne")
    )
    day = models.DateField(_("Date"))
    hours = models.DecimalField(
        _("Heures données"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(MAX_HOURS)],
    )
    activity = models.CharField(_("Ce qui a été fait"), max_length=200)
    skills = models.CharField(
        _("Savoir-faire pratiqués"), max_length=300, help_text=_("Séparés par des virgules : animation, menuiserie…")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("temps donné")
        verbose_name_plural = _("temps donnés")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS), name="time_given_hours_range"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {self.hours} h"

    def skill_list(self) -> list[str]:
        return [skill.strip() for skill in self.skills.split(",") if skill.strip()]


class CoHolder(models.Model):
    """Holders joining forces: someone who joined the project (or whose own idea was merged into
    it) holds it with its holder — same page, same progress, same rights on it."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="co_holders")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("co-porteur·se")
        verbose_name_plural = _("co-porteur·ses")
        constraints = [models.UniqueConstraint(fields=["initiative", "person"], name="co_holder_once")]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.person_id}"
