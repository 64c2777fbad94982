"""Conseils citoyens and juries: standing bodies partly drawn by lot.

A council has seats in up to four colleges (residents drawn by lot, volunteers, local
actors, élus). Each seat is held through a ``Membership`` with its own term, so that a
council renewed by halves keeps staggered terms. A ``Renewal`` records each renewal
(which memberships ended then), meetings (sittings of ``apps.sittings``) record attendance
per membership, and the
council's opinions and decisions are published with their vote tally.

Members' full names are personal data: only the public name (first name and initial,
or a pseudonym) leaves the back office.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.covers import Covered, cover_alt_constraint
from apps.core.models import Process, Territory


class College(models.TextChoices):
    DRAWN = "drawn", _("Habitant·es tiré·es au sort")
    VOLUNTEERS = "volunteers", _("Volontaires")
    LOCAL_ACTORS = "local_actors", _("Acteurs locaux et associations")
    ELECTED = "elected", _("Élu·es")


class CouncilQuerySet(models.QuerySet["Council"]):
    def published(self) -> CouncilQuerySet:
        return self.filter(is_published=True)


class Council(Covered):
    class Kind(models.TextChoices):
        CITIZEN_COUNCIL = "conseil_citoyen", _("Conseil citoyen")
        JURY = "jury", _("Jury")
        NEIGHBOURHOOD_COUNCIL = "conseil_quartier", _("Conseil de quartier")

    class Renewal(models.TextChoices):
        ALL = "all", _("Renouvellement complet à la fin du mandat")
        HALVES = "halves", _("Renouvellement par moitié")

    kind = models.CharField(_("type d'instance"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="councils"
    )
    mission = models.TextField(_("mission"), help_text=_("Mise en forme légère possible (Markdown)."))
    mission_html = models.TextField(editable=False, blank=True)
    seats_drawn = models.PositiveSmallIntegerField(_("sièges d'habitant·es tiré·es au sort"), default=0)
    seats_volunteers = models.PositiveSmallIntegerField(_("sièges de volontaires"), default=0)
    seats_local_actors = models.PositiveSmallIntegerField(_("sièges d'acteurs locaux et associations"), default=0)
    seats_elected = models.PositiveSmallIntegerField(_("sièges d'élu·es"), default=0)
    term_months = models.PositiveSmallIntegerField(_("durée du mandat (en mois)"), default=24)
    renewal_rule = models.CharField(
        _("règle de renouvellement"), max_length=10, choices=Renewal.choices, default=Renewal.ALL
    )
    # Where the city's commitments born of the council's decisions are followed up.
    process = models.ForeignKey(
        Process,
        verbose_name=_("démarche de suivi des engagements"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_published = models.BooleanField(_("publiée"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Its meetings are sittings of the shared primitive.
    meetings = GenericRelation(
        "sittings.Sitting", content_type_field="body_type", object_id_field="body_id", related_query_name="council"
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("instance citoyenne")
        verbose_name_plural = _("instances citoyennes")
        constraints = [
            models.CheckConstraint(condition=Q(term_months__gte=1), name="council_term_at_least_one_month"),
            cover_alt_constraint("council_cover_has_alt"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from apps.core.richtext import render_rich_text

        self.mission_html = render_rich_text(self.mission)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("councils:detail", kwargs={"slug": self.slug})

    def sitting_url(self, sitting: models.Model) -> str:
        """The public page of one of its meetings (``Sitting.get_absolute_url`` asks)."""
        return reverse("councils:meeting", kwargs={"slug": self.slug, "pk": sitting.pk})

    def seats(self, college: str) -> int:
        return {
            College.DRAWN: self.seats_drawn,
            College.VOLUNTEERS: self.seats_volunteers,
            College.LOCAL_ACTORS: self.seats_local_actors,
            College.ELECTED: self.seats_elected,
        }[College(college)]

    @property
    def total_seats(self) -> int:
        return self.seats_drawn + self.seats_volunteers + self.seats_local_actors + self.seats_elected


class Renewal(models.Model):
    """One renewal of the council: the memberships whose term had ended were closed then."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="renewals")
    held_on = models.DateField(_("date du renouvellement"))
    ended_count = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("renouvellement")
        verbose_name_plural = _("renouvellements")

    def __str__(self) -> str:
        return f"{self.council} — {self.held_on:%d/%m/%Y}"


class Membership(models.Model):
    class Origin(models.TextChoices):
        DRAWN = "drawn", _("Tiré·e au sort")
        VOLUNTEER = "volunteer", _("Volontaire")
        APPOINTED = "appointed", _("Désigné·e")

    class Status(models.TextChoices):
        ACTIVE = "active", _("En fonction")
        ENDED = "ended", _("Mandat terminé")
        RESIGNED = "resigned", _("Démission")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    college = models.CharField(_("collège"), max_length=15, choices=College.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_memberships",
    )
    # Personal data, for the back office and the attestation only.
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    # What the public pages show: first name and initial, or a pseudonym.
    public_name = models.CharField(_("nom public"), max_length=80)
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices)
    pool_member = models.ForeignKey(
        "sortition.PoolMember",
        verbose_name=_("personne tirée au sort"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_memberships",
    )
    term_start = models.DateField(_("début du mandat"))
    term_end = models.DateField(_("fin du mandat"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(_("fin effective"), null=True, blank=True)
    renewal = models.ForeignKey(
        Renewal, null=True, blank=True, on_delete=models.SET_NULL, related_name="ended_memberships"
    )
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    attendances = GenericRelation(
        "sittings.Attendance",
        content_type_field="member_type",
        object_id_field="member_id",
        related_query_name="council_membership",
    )

    class Meta:
        ordering = ["council", "college", "public_name", "pk"]
        verbose_name = _("mandat de membre")
        verbose_name_plural = _("mandats de membres")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="membership_term_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["council", "user"],
                condition=Q(status="active", user__isnull=False),
                name="one_active_membership_per_person",
            ),
            models.UniqueConstraint(
                fields=["council", "pool_member"],
                condition=Q(pool_member__isnull=False),
                name="one_membership_per_pool_member",
            ),
        ]
        indexes = [models.Index(fields=["council", "status", "college"], name="membership_council_status")]

    def __str__(self) -> str:
        return f"{self.public_name} ({self.council})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def term_is_over(self, on: datetime.date) -> bool:
        return self.term_end <= on


class Decision(models.Model):
    """An opinion of the council, or a jury's decision on a project (with its vote tally)."""

    class Kind(models.TextChoices):
        OPINION = "opinion", _("Avis")
        DECISION = "decision", _("Décision sur un projet")

    class Outcome(models.TextChoices):
        NONE = "", _("Sans objet")
        FAVOURABLE = "favourable", _("Favorable")
        UNFAVOURABLE = "unfavourable", _("Défavorable")
        ADJOURNED = "adjourned", _("Ajourné")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        "sittings.Sitting",
        verbose_name=_("réunion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_decisions",
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.OPINION)
    title = models.CharField(_("titre"), max_length=200)
    subject = models.CharField(_("projet ou sujet concerné"), max_length=200, blank=True)
    text = models.TextField(_("texte"), help_text=_("Mise en forme légère possible (Markdown)."))
    text_html = models.TextField(editable=False, blank=True)
    decided_on = models.DateField(_("date"))
    outcome = models.CharField(_("sens de la décision"), max_length=12, choices=Outcome.choices, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("voix pour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("voix contre"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    commitment = models.OneToOneField(
        "followup.Commitment",
        verbose_name=_("engagement de la Ville"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_decision",
    )
    is_published = models.BooleanField(_("publiée"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("avis ou décision")
        verbose_name_plural = _("avis et décisions")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        from apps.core.richtext import render_rich_text

        self.text_html = render_rich_text(self.text)
        super().save(*args, **kwargs)

    @property
    def has_tally(self) -> bool:
        return any(v is not None for v in (self.votes_for, self.votes_against, self.votes_abstain))
