"""Showing and connecting: the directory of actors (associations, collectives, residents who
offer a skill) and the « portes ouvertes » moments holders announce.

A resident appears in the directory only by choosing to (RGPD: consent), chooses what shows and
withdraws at any time; their e-mail address is never shown, people write to them through a form.
An association or a collective is proposed by a resident (who receives its messages) and shows
once an agent of its quartier validated it.

Re-exported by ``models.py`` (Django loads the models from there)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import Territory


class Actor(models.Model):
    class Kind(models.TextChoices):
        RESIDENT = "resident", _("Habitant·e qui propose un savoir-faire")
        ASSOCIATION = "association", _("Association")
        COLLECTIVE = "collective", _("Collectif d'habitant·es")

    class State(models.TextChoices):
        PENDING = "pending", _("En attente de validation")
        PUBLISHED = "published", _("Publiée")
        REFUSED = "refused", _("Refusée ou retirée par un·e agent·e")

    kind = models.CharField(_("Type"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("Nom affiché"), max_length=150)
    skills = models.CharField(
        _("Savoir-faire proposés"),
        max_length=300,
        help_text=_("Séparés par des virgules : couture, traduction en arabe, réparation de vélos…"),
    )
    description = models.TextField(_("Présentation"), max_length=1500, blank=True)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("Quartier"))
    website = models.URLField(_("Site web (facultatif)"), max_length=300, blank=True)
    # The resident shown (kind resident), or the resident who proposed an association or a
    # collective and receives its messages. Never shown; messages reach them by notification.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    show_initiatives = models.BooleanField(
        _("Montrer les initiatives auxquelles je participe"),
        default=False,
        help_text=_("Les initiatives publiques que vous portez ou que vous avez rejointes."),
    )
    # An association or a collective: the public initiatives it takes part in, chosen by its
    # proposer among those they hold, co-hold or joined.
    initiatives = models.ManyToManyField("initiatives.Initiative", blank=True, related_name="actors")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("acteur de l'annuaire")
        verbose_name_plural = _("acteurs de l'annuaire")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(kind="resident"), name="actor_one_resident_entry_per_person"
            ),
        ]
        indexes = [models.Index(fields=["state", "territory"], name="actor_state_territory")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:actor", kwargs={"pk": self.pk})

    @property
    def is_resident(self) -> bool:
        return self.kind == self.Kind.RESIDENT

    def skill_list(self) -> list[str]:
        return [skill.strip() for skill in self.skills.split(",") if skill.strip()]


class OpenDoor(models.Model):
    """A « portes ouvertes » moment of an initiative: come and see, lend a hand, ask questions."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="open_doors")
    starts_at = models.DateTimeField(_("Début"))
    ends_at = models.DateTimeField(_("Fin (facultatif)"), null=True, blank=True)
    place = models.CharField(_("Lieu"), max_length=250)
    description = models.TextField(
        _("Ce qui s'y passe"), max_length=1000, help_text=_("Visite, atelier, goûter, chantier ouvert…")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("portes ouvertes")
        verbose_name_plural = _("portes ouvertes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")), name="open_door_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.starts_at:%Y-%m-%d %H:%M}"
