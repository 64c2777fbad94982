"""Open data of the workshops module: the mandates and the published recommendations with
their vote results and answer status. No personal data (no member, no voter)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.core.models import Process

CHUNK = 500

WORKSHOP_FIELDS = (
    "id",
    "process",
    "slug",
    "title",
    "question",
    "open_scope",
    "closed_scope",
    "budget_eur",
    "answer_due",
    "mandate_published_at",
    "mandate_revisions",
    "panel_confirmed",
    "panel_drawn",
    "panel_volunteers",
    "sessions_published",
    "opinion_state",
    "opinion_published_at",
    "opinion_sha256",
    "url",
)
RECOMMENDATION_FIELDS = (
    "id",
    "workshop",
    "number",
    "title",
    "text",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "answer_status",
    "answer_reasons",
    "answer_signed_by",
    "commitment_ids",
    "url",
)


def _workshops(process: Process | None) -> Any:
    from apps.workshops.models import Workshop

    queryset = Workshop.objects.filter(mandate_published_at__isnull=False, process__is_published=True)
    if process is not None:
        queryset = queryset.filter(process=process)
    return queryset


def workshop_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from django.db.models import Count, Q

    from apps.workshops.models import PanelMember

    confirmed = Q(members__status=PanelMember.Status.CONFIRMED, members__is_alternate=False)
    queryset = (
        _workshops(process)
        .select_related("process", "opinion")
        .annotate(
            n_confirmed=Count("members", filter=confirmed, distinct=True),
            n_drawn=Count("members", filter=confirmed & Q(members__source=PanelMember.Source.DRAWN), distinct=True),
            n_revisions=Count("revisions", distinct=True),
            n_sessions=Count("sessions", filter=Q(sessions__is_published=True), distinct=True),
        )
        .order_by("pk")
    )
    for workshop in queryset.iterator(chunk_size=CHUNK):
        opinion = workshop.opinion
        yield {
            "id": workshop.pk,
            "process": workshop.process.slug,
            "slug": workshop.slug,
            "title": workshop.title,
            "question": workshop.question,
            "open_scope": workshop.open_scope,
            "closed_scope": workshop.closed_scope,
            "budget_eur": str(workshop.budget_eur) if workshop.budget_eur is not None else None,
            "answer_due": workshop.answer_due.isoformat(),
            "mandate_published_at": workshop.mandate_published_at.isoformat(),
            "mandate_revisions": workshop.n_revisions,
            "panel_confirmed": workshop.n_confirmed,
            "panel_drawn": workshop.n_drawn,
            "panel_volunteers": workshop.n_confirmed - workshop.n_drawn,
            "sessions_published": workshop.n_sessions,
            "opinion_state": opinion.state,
            "opinion_published_at": opinion.published_at.isoformat() if opinion.published_at else None,
            "opinion_sha256": opinion.published_sha256,
            "url": workshop.get_absolute_url(),
        }


def recommendation_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from django.db.models import Count, Q

    from apps.workshops.models import AnswerCommitment, CitizenOpinion, Recommendation, RecommendationVote

    queryset = (
        Recommendation.objects.filter(
            opinion__workshop__in=_workshops(process), opinion__state=CitizenOpinion.State.PUBLISHED
        )
        .select_related("opinion__workshop")
        .prefetch_related("answers")
        .annotate(
            v_for=Count("votes", filter=Q(votes__choice=RecommendationVote.Choice.FOR)),
            v_against=Count("votes", filter=Q(votes__choice=RecommendationVote.Choice.AGAINST)),
            v_abstain=Count("votes", filter=Q(votes__choice=RecommendationVote.Choice.ABSTAIN)),
        )
        .order_by("pk")
    )
    for recommendation in queryset.iterator(chunk_size=CHUNK):
        answer = recommendation.answer
        commitment_ids = (
            list(
                AnswerCommitment.objects.filter(answer=answer, commitment__isnull=False)
                .order_by("pk")
                .values_list("commitment_id", flat=True)
            )
            if answer is not None
            else []
        )
        yield {
            "id": recommendation.pk,
            "workshop": recommendation.opinion.workshop.slug,
            "number": recommendation.number,
            "title": recommendation.title,
            "text": recommendation.published_text,
            "votes_for": recommendation.v_for,
            "votes_against": recommendation.v_against,
            "votes_abstain": recommendation.v_abstain,
            "answer_status": answer.status if answer else "",
            "answer_reasons": answer.body if answer else "",
            "answer_signed_by": answer.signed_by if answer else "",
            "commitment_ids": " ".join(str(pk) for pk in commitment_ids),
            "url": recommendation.get_absolute_url(),
        }
