"""The citizen workshop (atelier citoyen): mandate → panel and sessions → citizen opinion →
reasoned answer → follow-up (droit de suite).

A workshop belongs to a process whose phases host the "workshops" module. The mandate
lives on the workshop itself; once published it is never edited silently: every later
change leaves a dated, public ``MandateRevision``. The citizen opinion is a list of
numbered recommendations written together by the panel (every edit is a revision,
optimistic concurrency on the revision number), adopted by a vote per recommendation
(one vote per member and recommendation, a database constraint), then frozen on
publication (text snapshot + SHA-256).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.covers import Covered, cover_alt_constraint
from apps.core.models import Process, Service


class Workshop(Covered):
    """A citizen workshop and its mandate (what the city asks the panel, and what it promises)."""

    process = models.OneToOneField(
        Process, on_delete=models.CASCADE, related_name="workshop", verbose_name=_("démarche")
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    # --- the mandate
    question = models.TextField(_("question posée au panel"))
    open_scope = models.TextField(_("ce qui est ouvert"))
    closed_scope = models.TextField(_("ce qui n'est pas ouvert"))
    experts = models.TextField(_("experts mobilisables"), blank=True)
    resources = models.TextField(_("documents et ressources"), blank=True)
    budget_eur = models.DecimalField(
        _("budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("En euros.")
    )
    calendar = models.TextField(_("calendrier"), blank=True)
    answerer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("élu·e qui répondra"),
        on_delete=models.PROTECT,
        related_name="workshops_to_answer",
    )
    answer_due = models.DateField(_("date de la réponse"))
    mandate_published_at = models.DateTimeField(_("mandat publié le"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The panel's working sessions are sittings of the shared primitive.
    sessions = GenericRelation(
        "sittings.Sitting", content_type_field="body_type", object_id_field="body_id", related_query_name="workshop"
    )

    # Mandate fields that a published mandate may change only with a revision note.
    MANDATE_FIELDS = (
        "title",
        "question",
        "open_scope",
        "closed_scope",
        "experts",
        "resources",
        "budget_eur",
        "calendar",
        "answerer",
        "answer_due",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("atelier citoyen")
        verbose_name_plural = _("ateliers citoyens")
        constraints = [cover_alt_constraint("workshop_cover_has_alt")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", kwargs={"slug": self.slug})

    @property
    def is_mandate_published(self) -> bool:
        return self.mandate_published_at is not None

    def mandate_snapshot(self) -> dict[str, Any]:
        snapshot: dict[str, Any] = {}
        for name in self.MANDATE_FIELDS:
            value = getattr(self, "answerer_id" if name == "answerer" else name)
            if name == "budget_eur" and value is not None:
                value = str(Decimal(value).quantize(Decimal("0.01")))
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            snapshot[name] = value
        return snapshot


class MandateRevision(models.Model):
    """A dated, public note of what changed in a mandate after its publication."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="revisions")
    note = models.TextField(_("note de révision"))
    changed_fields = models.JSONField(default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("révision du mandat")
        verbose_name_plural = _("révisions du mandat")

    def __str__(self) -> str:
        return f"{self.workshop} — {self.created_at:%Y-%m-%d}"


class PanelMember(models.Model):
    class Source(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volontaire")
        DRAWN = "drawn", _("Tiré·e au sort")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Candidature reçue")
        INVITED = "invited", _("Invité·e")
        CONFIRMED = "confirmed", _("Confirmé·e")
        DECLINED = "declined", _("A décliné")
        LEFT = "left", _("A quitté le panel")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panel_memberships",
        verbose_name=_("compte"),
    )
    pool_member = models.ForeignKey("sortition.PoolMember", null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    # Private (staff and attestation only): never on a public page nor in open data.
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    # What the public pages show: a first name or a pseudonym, never contact data.
    public_name = models.CharField(_("nom affiché"), max_length=80)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.INVITED)
    is_alternate = models.BooleanField(_("remplaçant·e"), default=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    attendances = GenericRelation(
        "sittings.Attendance",
        content_type_field="member_type",
        object_id_field="member_id",
        related_query_name="panel_member",
    )

    class Meta:
        ordering = ["workshop", "is_alternate", "pk"]
        verbose_name = _("membre du panel")
        verbose_name_plural = _("membres du panel")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"], condition=Q(user__isnull=False), name="workshop_one_membership_per_account"
            ),
            models.UniqueConstraint(
                fields=["workshop", "pool_member"],
                condition=Q(pool_member__isnull=False),
                name="workshop_one_membership_per_pool_member",
            ),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def is_active_member(self) -> bool:
        return self.status == self.Status.CONFIRMED and not self.is_alternate


class CitizenOpinion(models.Model):
    """The avis citoyen: drafted by the panel, adopted by vote, then published unchanged."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("En rédaction")
        VOTING = "voting", _("Vote d'adoption ouvert")
        ADOPTED = "adopted", _("Adopté par le panel")
        PUBLISHED = "published", _("Publié")

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="opinion")
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFTING)
    vote_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    vote_closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("avis citoyen")
        verbose_name_plural = _("avis citoyens")

    def __str__(self) -> str:
        return str(_("Avis citoyen — %(workshop)s") % {"workshop": self.workshop})

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class Recommendation(models.Model):
    opinion = models.ForeignKey(CitizenOpinion, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte"))
    # The number of the latest revision: a form carries it, a stale one is refused.
    revision = models.PositiveIntegerField(default=1, editable=False)
    published_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The published reasoned answers (``apps.answers``), the current one first.
    answers = GenericRelation(
        "answers.Answer",
        content_type_field="source_type",
        object_id_field="source_id",
        related_query_name="recommendation",
    )

    class Meta:
        ordering = ["opinion", "number"]
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "number"], name="workshop_one_recommendation_number"),
        ]

    def __str__(self) -> str:
        return str(_("Recommandation n° %(number)s : %(title)s") % {"number": self.number, "title": self.title})

    def get_absolute_url(self) -> str:
        return reverse("workshops:recommendation", kwargs={"slug": self.opinion.workshop.slug, "number": self.number})

    @property
    def answer(self) -> Any:
        """The current (latest published) answer, or None; prefetch ``answers`` for lists."""
        return next(iter(self.answers.all()), None)

    def canonical(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "text": self.text}


def opinion_digest(recommendations: list[Recommendation]) -> str:
    """SHA-256 of the published text: anyone can recompute it from the open data."""
    payload = json.dumps([r.canonical() for r in recommendations], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


class RecommendationRevision(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "number"], name="workshop_one_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} r{self.number}"


class RecommendationVote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", _("Pour")
        AGAINST = "against", _("Contre")
        ABSTAIN = "abstain", _("Abstention")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote sur une recommandation")
        verbose_name_plural = _("votes sur les recommandations")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "member"], name="workshop_one_vote_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.choice}"


class AnswerDecision(models.TextChoices):
    """The decisions an answer to a recommendation carries (``apps.answers`` stores the value)."""

    ACCEPTED = "accepted", _("Retenue")
    ADAPTED = "adapted", _("Retenue avec adaptation")
    NOT_RETAINED = "not_retained", _("Non retenue")


class AnswerCommitment(models.Model):
    """One commitment promised in an answer to a recommendation: the source of one follow-up
    ``Commitment``, created when the answer is signed (``commitment`` is empty until then)."""

    answer = models.ForeignKey("answers.Answer", on_delete=models.CASCADE, related_name="commitment_links")
    commitment = models.OneToOneField(
        "followup.Commitment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("engagement"), max_length=200)
    service = models.ForeignKey(Service, null=True, on_delete=models.SET_NULL, related_name="+")
    planned_date = models.DateField(_("date prévue"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recommandation d'atelier citoyen")
        verbose_name_plural = _("recommandations d'atelier citoyen")

    def __str__(self) -> str:
        return str(self.answer.source)

    def get_absolute_url(self) -> str:
        source: Any = self.answer.source
        return str(source.get_absolute_url())


# The evaluation's own pieces, in their own file; imported here so that Django registers them.
from apps.workshops.evaluation_models import Evaluation, EvidenceFile  # noqa: E402

__all__ = [
    "AnswerCommitment",
    "AnswerDecision",
    "CitizenOpinion",
    "Evaluation",
    "EvidenceFile",
    "MandateRevision",
    "PanelMember",
    "Recommendation",
    "RecommendationRevision",
    "RecommendationVote",
    "Workshop",
    "opinion_digest",
]
