"""Reads of the workshops module: public lists, vote results, panel composition, overdue
answers and commitments, in a bounded number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.answers.models import Answer
from apps.core.covers import is_cover_of
from apps.core.models import Process
from apps.followup.models import Commitment
from apps.sittings import selectors as sittings
from apps.sittings.models import Sitting
from apps.workshops.models import (
    AnswerCommitment,
    CitizenOpinion,
    PanelMember,
    Recommendation,
    RecommendationVote,
    Workshop,
)


def public_workshops() -> QuerySet[Workshop]:
    return (
        Workshop.objects.filter(mandate_published_at__isnull=False, process__is_published=True)
        .select_related("process", "process__territory", "opinion")
        .order_by("-mandate_published_at", "-pk")
    )


def workshop_by_slug(slug: str) -> Workshop | None:
    return (
        Workshop.objects.select_related("process", "process__territory", "answerer", "opinion")
        .filter(slug=slug)
        .first()
    )


def workshops_of_process(process: Process) -> Workshop | None:
    return Workshop.objects.select_related("opinion").filter(process=process).first()


@dataclass
class Tally:
    votes_for: int = 0
    against: int = 0
    abstain: int = 0

    @property
    def total(self) -> int:
        return self.votes_for + self.against + self.abstain

    @property
    def adopted(self) -> bool:
        return self.votes_for > self.against


def vote_results(opinion: CitizenOpinion) -> dict[int, Tally]:
    """Counts only: who voted what is never shown."""
    rows = (
        RecommendationVote.objects.filter(recommendation__opinion=opinion)
        .values("recommendation_id")
        .annotate(
            f=Count("pk", filter=Q(choice=RecommendationVote.Choice.FOR)),
            a=Count("pk", filter=Q(choice=RecommendationVote.Choice.AGAINST)),
            n=Count("pk", filter=Q(choice=RecommendationVote.Choice.ABSTAIN)),
        )
    )
    return {row["recommendation_id"]: Tally(row["f"], row["a"], row["n"]) for row in rows}


def panel_summary(workshop: Workshop) -> dict[str, Any]:
    members = list(workshop.members.filter(status=PanelMember.Status.CONFIRMED).order_by("is_alternate", "pk"))
    sitting = [m for m in members if not m.is_alternate]
    return {
        "sitting": sitting,
        "alternates": [m for m in members if m.is_alternate],
        "drawn": sum(1 for m in sitting if m.source == PanelMember.Source.DRAWN),
        "volunteers": sum(1 for m in sitting if m.source == PanelMember.Source.VOLUNTEER),
        "invited": workshop.members.filter(status=PanelMember.Status.INVITED).count(),
    }


def recommendations_for_page(opinion: CitizenOpinion) -> list[Recommendation]:
    links = AnswerCommitment.objects.select_related("commitment", "service").order_by("pk")
    answers = Answer.objects.order_by("-created_at", "-pk").prefetch_related(
        Prefetch("commitment_links", queryset=links)
    )
    return list(opinion.recommendations.prefetch_related(Prefetch("answers", queryset=answers)).order_by("number"))


def answer_of(recommendation: Recommendation) -> Answer | None:
    """The answer in force (the latest signed one), or None."""
    return recommendation.answer  # type: ignore[no-any-return]


@dataclass
class Overdue:
    answer_overdue: bool = False
    unanswered: list[Recommendation] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)


def overdue(workshop: Workshop, recommendations: list[Recommendation], today: datetime.date | None = None) -> Overdue:
    """The answer is overdue when the opinion is published, the answer date has passed and
    some recommendations still have no answer; commitments are overdue past their date."""
    today = today or timezone.localdate()
    result = Overdue()
    opinion = workshop.opinion
    if opinion.state == CitizenOpinion.State.PUBLISHED:
        result.unanswered = [r for r in recommendations if answer_of(r) is None]
        result.answer_overdue = bool(result.unanswered) and workshop.answer_due < today
    for recommendation in recommendations:
        answer = answer_of(recommendation)
        if answer is None:
            continue
        for link in answer.commitment_links.all():
            if link.commitment is not None and link.commitment.is_overdue:
                result.commitments.append(link.commitment)
    return result


def published_sessions(workshop: Workshop) -> QuerySet[Sitting]:
    return sittings.published_sittings_of(workshop).prefetch_related("documents").order_by("starts_at", "pk")


def attended_sessions(member: PanelMember) -> list[Sitting]:
    return sittings.attended_sittings(member)


def is_public_cover(name: str) -> bool:
    """The cover of a workshop whose mandate is public, or one of its copies (``/media/``)."""
    return is_cover_of(name, public_workshops())
