"""Reads behind the proposals' sections of the foundation's pages: « Mon espace » (where is
each of my ideas now?), the home page (the city's latest answers) and a territory's page
(its recent proposals)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from apps.answers.models import Answer
from apps.discussion.models import Comment
from apps.followup.models import Commitment
from apps.proposals.models import Proposal

if TYPE_CHECKING:
    from apps.accounts.models import User

PROPOSALS_PER_PAGE = 10


@dataclass(frozen=True)
class ProposalState:
    proposal: Proposal
    latest_answer: Answer | None
    commitment: Commitment | None


def my_proposals_page(user: User, page_number: int | str | None) -> tuple[Page[Proposal], list[ProposalState]]:
    """One page of the person's proposals with their latest answer and commitment.

    The query count does not depend on the number of proposals: one page query, one
    prefetch of the answers, one query for the commitments of the whole page.
    """
    proposals = (
        Proposal.objects.filter(author=user)
        .select_related("process", "territory")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("-created_at", "-pk")))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(page_number)
    ids = [proposal.pk for proposal in page.object_list]
    commitments: dict[int, Commitment] = {}
    if ids:
        source_type = ContentType.objects.get_for_model(Proposal)  # cached by Django after the first call
        for commitment in Commitment.objects.filter(source_type=source_type, source_id__in=ids):
            commitments[commitment.source_id] = commitment  # type: ignore[index]
    states = [
        ProposalState(
            proposal=proposal,
            latest_answer=next(iter(proposal.answers.all()), None),
            commitment=commitments.get(proposal.pk),
        )
        for proposal in page.object_list
    ]
    return page, states


def my_comment_count(user: User) -> int:
    """Comments on proposals (the count « Mon espace » shows next to the proposals)."""
    return Comment.objects.filter(author=user, target_type=ContentType.objects.get_for_model(Proposal)).count()


def recent_answers(limit: int = 6) -> list[Answer]:
    return list(
        Answer.objects.filter(proposal__process__is_published=True, proposal__is_withdrawn=False)
        .prefetch_related(
            GenericPrefetch("source", [Proposal.objects.select_related("process", "territory")])  # type: ignore[type-var]
        )
        .order_by("-created_at", "-pk")[:limit]
    )


def recent_proposals_in(territory_ids: Iterable[int], limit: int = 8) -> list[Proposal]:
    return list(
        Proposal.objects.filter(territory_id__in=list(territory_ids), process__is_published=True, is_withdrawn=False)
        .select_related("process", "theme")
        .order_by("-created_at", "-pk")[:limit]
    )
