"""The neighbourhood agenda: public events (rendez-vous de quartier, walks, office hours, public
sessions) held as sittings of the shared primitive.

An ``Event`` is the body of exactly one ``Sitting`` (date, place, agenda, minutes): the event adds
what the public needs around it (quartier, accessibility, online link, registration with a
capacity and a waiting list), the agenda items residents propose before it, the outcomes
published after it and the counts of the paper sign-in sheets (no names).

Outcomes link to what the city answers with: a commitment of the follow-up and an answer of the
shared primitive by foreign key (both sit below the modules), anything of another module (a
proposal, a workshop request) by its local address only: modules never import each other.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import Process, Territory


class Sequence(models.TextChoices):
    """The three sequences of a rendez-vous citoyen (seed 001)."""

    PARTICIPATION = "participation", _("Participation")
    DEBATE = "debat", _("Débat")
    NEWS = "actualites", _("Actualités")


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        return self.filter(is_published=True)


class Event(models.Model):
    class Kind(models.TextChoices):
        RENDEZ_VOUS = "rendez_vous", _("Rendez-vous de quartier")
        WALK = "balade", _("Balade urbaine")
        OFFICE_HOURS = "permanence", _("Permanence")
        PUBLIC_SESSION = "seance_publique", _("Séance publique")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Programmé")
        CANCELLED = "cancelled", _("Annulé")

    kind = models.CharField(_("type de rendez-vous"), max_length=20, choices=Kind.choices)
    territory = models.ForeignKey(
        Territory, verbose_name=_("quartier"), on_delete=models.PROTECT, related_name="agenda_events"
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("démarche liée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_events",
    )
    summary = models.TextField(_("présentation"), blank=True)
    access_info = models.TextField(
        _("accessibilité du lieu"),
        blank=True,
        help_text=_("Accès, transports, boucle magnétique, toilettes adaptées…"),
    )
    step_free = models.BooleanField(_("lieu accessible de plain-pied ou par ascenseur"), default=False)
    online_url = models.URLField(
        _("lien pour suivre en ligne"),
        blank=True,
        max_length=300,
        help_text=_("Pour une réunion hybride : l'adresse de la visioconférence."),
    )
    registration_enabled = models.BooleanField(_("inscription proposée"), default=False)
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Laissez vide pour un nombre illimité.")
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    cancel_reason = models.TextField(_("motif de l'annulation"), blank=True)
    is_published = models.BooleanField(_("publié"), default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Raised when the date, the place or the online link changes, or at the cancellation: the
    # iCal SEQUENCE, so that calendar applications replace the copy they hold (RFC 5545 3.8.7.4).
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Its one sitting (date, place, agenda, minutes), in the shared primitive.
    sittings = GenericRelation(
        "sittings.Sitting", content_type_field="body_type", object_id_field="body_id", related_query_name="agenda_event"
    )
    # Its discussion thread after the meeting, and its follows (deleted with it).
    comments = GenericRelation("discussion.Comment", content_type_field="target_type", object_id_field="target_id")
    follows = GenericRelation("notifications.Follow", content_type_field="target_type", object_id_field="target_id")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="agenda_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(state="scheduled") | ~Q(cancel_reason=""), name="agenda_cancel_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["territory", "is_published"], name="agenda_event_territory")]

    def __str__(self) -> str:
        sitting = self.sitting
        return sitting.title if sitting is not None else f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("agenda:detail", kwargs={"pk": self.pk})

    @property
    def sitting(self) -> Any:
        """The event's sitting (prefetched by the selectors: ``prefetch_related("sittings")``)."""
        cached = getattr(self, "_sitting", None)
        if cached is None:
            cached = next(iter(self.sittings.all()), None)
            self._sitting = cached
        return cached

    @property
    def title(self) -> str:
        return str(self)

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    def sitting_url(self, sitting: models.Model) -> str:
        return self.get_absolute_url()


class Registration(models.Model):
    """One person's registration. The waiting list is the ``waiting`` rows, oldest first; a
    cancelled registration stays (a person may register again: the row is reused)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscription confirmée")
        WAITING = "waiting", _("Sur liste d'attente")
        CANCELLED = "cancelled", _("Inscription annulée")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_registrations")
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    childcare = models.BooleanField(_("garde d'enfants"), default=False)
    interpretation = models.CharField(
        _("interprétariat (langue)"), max_length=60, blank=True, help_text=_("Par exemple : arabe, tamoul.")
    )
    sign_language = models.BooleanField(_("interprétation en langue des signes (LSF)"), default=False)
    step_free = models.BooleanField(_("accès sans marche"), default=False)
    # When the place was given (registration or promotion from the waiting list); the waiting
    # list is served in the order of ``queued_at``.
    queued_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="agenda_one_registration_per_person")]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="agenda_registration_queue")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.event_id} ({self.status})"


class AgendaItem(models.Model):
    """A subject a resident proposes for a rendez-vous, before it; others support it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="items")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sequence = models.CharField(_("séquence"), max_length=15, choices=Sequence.choices, default=Sequence.DEBATE)
    title = models.CharField(_("sujet"), max_length=200)
    body = models.TextField(_("précisions"), blank=True, max_length=3000)
    support_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-support_count", "pk"]
        verbose_name = _("sujet proposé")
        verbose_name_plural = _("sujets proposés")

    def __str__(self) -> str:
        return self.title


class ItemSupport(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("soutien à un sujet")
        verbose_name_plural = _("soutiens à des sujets")
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="agenda_one_support_per_item")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.item_id}"


class Outcome(models.Model):
    """A decision or result of the meeting, linked to what follows it up."""

    class Link(models.TextChoices):
        COMMITMENT = "commitment", _("Engagement suivi")
        ANSWER = "answer", _("Réponse argumentée")
        PROPOSAL = "proposal", _("Proposition")
        WORKSHOP = "workshop", _("Demande d'atelier")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcomes")
    sequence = models.CharField(_("séquence"), max_length=15, choices=Sequence.choices)
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("sujet proposé traité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
    )
    title = models.CharField(_("décision ou résultat"), max_length=200)
    text = models.TextField(_("détail"), blank=True)
    link = models.CharField(_("suite donnée"), max_length=12, choices=Link.choices)
    commitment = models.ForeignKey(
        "followup.Commitment",
        verbose_name=_("engagement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.ForeignKey(
        "answers.Answer", verbose_name=_("réponse"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A proposal or workshop request of another module, by its address on this site.
    link_url = models.CharField(_("adresse de la proposition ou de la demande"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sequence", "pk"]
        verbose_name = _("décision de rendez-vous")
        verbose_name_plural = _("décisions de rendez-vous")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(link="commitment", commitment__isnull=False)
                    | Q(link="answer", answer__isnull=False)
                    | (Q(link__in=["proposal", "workshop"]) & ~Q(link_url=""))
                ),
                name="agenda_outcome_is_linked",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.link_url and not (self.link_url.startswith("/") and not self.link_url.startswith("//")):
            raise ValidationError({"link_url": _("Donnez une adresse de ce site, qui commence par « / ».")})

    @property
    def target_url(self) -> str:
        if self.link == self.Link.COMMITMENT and self.commitment is not None:
            return str(self.commitment.get_absolute_url())
        if self.link == self.Link.ANSWER and self.answer is not None:
            source: Any = self.answer.source
            return str(source.get_absolute_url()) if hasattr(source, "get_absolute_url") else ""
        return self.link_url


class SignInCount(models.Model):
    """Counts of a paper sign-in sheet, entered by an agent: no names, only how many people of a
    quartier, an age band and coming for the first time or not."""

    class AgeBand(models.TextChoices):
        UNDER_18 = "0-17", _("Moins de 18 ans")
        YOUNG = "18-29", _("18 à 29 ans")
        ADULT = "30-59", _("30 à 59 ans")
        SENIOR = "60+", _("60 ans et plus")
        UNKNOWN = "inconnu", _("Non renseigné")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signin_counts")
    territory = models.ForeignKey(
        Territory, verbose_name=_("quartier d'habitation"), on_delete=models.PROTECT, related_name="+"
    )
    age_band = models.CharField(_("tranche d'âge"), max_length=8, choices=AgeBand.choices)
    first_time = models.BooleanField(_("première participation"))
    count = models.PositiveIntegerField(_("nombre de personnes"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["territory__name", "age_band", "first_time"]
        verbose_name = _("émargement (comptage)")
        verbose_name_plural = _("émargements (comptages)")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "territory", "age_band", "first_time"], name="agenda_one_count_per_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.count}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarToken(models.Model):
    """The secret of a person's iCal feed. Only its SHA-256 is stored: a database backup does not
    give anyone's feed; the person sees the address once, and may replace or revoke it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_token")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien d'agenda personnel")
        verbose_name_plural = _("liens d'agenda personnels")

    def __str__(self) -> str:
        return f"{self.user_id}"
