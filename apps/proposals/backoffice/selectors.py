"""Reads of the proposals back office, with a bounded number of queries whatever the number of rows."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from apps.answers.models import Answer
from apps.backoffice.selectors import count_by_process, target_ids
from apps.core.models import Process
from apps.followup.models import Commitment
from apps.proposals.models import PaperContact, Proposal


def _proposal_type() -> ContentType:
    return ContentType.objects.get_for_model(Proposal)


def instruction_proposals(process: Process, filters: dict[str, Any]) -> QuerySet[Proposal]:
    """The instruction table. ``filters`` is the cleaned data of the allowlisted filter form."""
    queryset = (
        Proposal.objects.filter(process=process)
        .select_related("territory", "theme", "assigned_service")
        .annotate(
            has_answer=Exists(Answer.objects.filter(source_type=_proposal_type(), source_id=OuterRef("pk"))),
            draft_state=Subquery(
                Answer.pending.filter(source_type=_proposal_type(), source_id=OuterRef("pk")).values("state")[:1]
            ),
        )
        .order_by("-created_at", "-pk")
    )
    if filters.get("etat"):
        queryset = queryset.filter(status=filters["etat"])
    if filters.get("quartier"):
        queryset = queryset.filter(territory=filters["quartier"])
    if filters.get("theme"):
        queryset = queryset.filter(theme=filters["theme"])
    if filters.get("service"):
        queryset = queryset.filter(assigned_service=filters["service"])
    if filters.get("sans_reponse"):
        queryset = queryset.filter(has_answer=False)
    return queryset


def commitment_of(proposal: Proposal) -> Commitment | None:
    source_type = ContentType.objects.get_for_model(Proposal)
    return Commitment.objects.filter(source_type=source_type, source_id=proposal.pk).first()


def paper_contact_of(proposal: Proposal) -> PaperContact | None:
    """Personal data of a paper contributor: for the agents of the process only."""
    return PaperContact.objects.filter(proposal=proposal).first() if proposal.is_paper else None


def dashboard_counts(processes: QuerySet[Process]) -> QuerySet[Process]:
    """The dashboard's columns: proposals, those awaiting an answer (the reported comments
    column comes from apps.discussion's manifest)."""
    unanswered = Proposal.objects.filter(is_withdrawn=False).exclude(answers__state=Answer.State.PUBLISHED)
    return processes.annotate(
        proposal_total=count_by_process(Proposal.objects.filter(is_withdrawn=False), "process"),
        awaiting_total=count_by_process(unanswered, "process"),
    )


def audit_targets(processes: QuerySet[Process]) -> Q:
    """Audit entries about the proposals of ``processes`` (their comments: apps.discussion)."""
    return Q(target_type="proposals.proposal", target_id__in=target_ids(Proposal.objects.filter(process__in=processes)))
