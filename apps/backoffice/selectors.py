"""Reads of the back office, with a bounded number of queries whatever the number of rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from apps.core.backoffice_kit import ADMINS, MODERATORS, processes_in_scope, scope_for
from apps.core.models import AuditLogEntry, Process
from apps.followup.models import Commitment
from apps.proposals.models import Answer, AnswerDraft, Comment, CommentReport, PaperContact, Proposal

if TYPE_CHECKING:
    from apps.backoffice.access import Person


def _count(queryset: QuerySet[Any], link: str) -> Coalesce:
    """A correlated ``COUNT(*)`` subquery: one query for the whole page, no join fan-out."""
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def dashboard_processes(user: Person) -> QuerySet[Process]:
    unanswered = Proposal.objects.filter(is_withdrawn=False).exclude(
        Exists(Answer.objects.filter(proposal=OuterRef("pk")))
    )
    reported = Comment.objects.filter(
        Exists(CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))
    )
    return (
        processes_in_scope(user)
        .select_related("territory")
        .annotate(
            proposal_total=_count(Proposal.objects.filter(is_withdrawn=False), "process"),
            awaiting_total=_count(unanswered, "process"),
            reported_total=_count(reported, "proposal__process"),
        )
        .order_by("answer_due", "title")
    )


def instruction_proposals(process: Process, filters: dict[str, Any]) -> QuerySet[Proposal]:
    """The instruction table. ``filters`` is the cleaned data of the allowlisted filter form."""
    queryset = (
        Proposal.objects.filter(process=process)
        .select_related("territory", "theme", "assigned_service")
        .annotate(
            has_answer=Exists(Answer.objects.filter(proposal=OuterRef("pk"))),
            draft_state=Subquery(AnswerDraft.objects.filter(proposal=OuterRef("pk")).values("state")[:1]),
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


def moderation_queue(user: Person) -> QuerySet[Comment]:
    scope = scope_for(user, MODERATORS)
    if scope.is_empty:
        return Comment.objects.none()
    open_reports = CommentReport.objects.filter(resolved_at__isnull=True)
    return (
        Comment.objects.filter(Exists(open_reports.filter(comment=OuterRef("pk"))))
        .filter(scope.process_filter("proposal__process__") if not scope.city_wide else Q())
        .select_related("proposal", "proposal__process", "author")
        .annotate(open_report_total=_count(open_reports, "comment"))
        .order_by("-open_report_total", "created_at")
    )


def _str_ids(queryset: QuerySet[Any]) -> QuerySet[Any]:
    # AuditLogEntry.target_id is text (targets of every kind); compare like with like.
    ids: QuerySet[Any] = queryset.annotate(pk_text=Cast("pk", output_field=CharField())).values("pk_text")
    return ids


def audit_entries(user: Person, action: str = "") -> QuerySet[AuditLogEntry]:
    """City-wide administrators see everything; others the actions on their processes."""
    scope = scope_for(user, ADMINS)
    entries = AuditLogEntry.objects.all()
    if scope.is_empty:
        return entries.none()
    if not scope.city_wide:
        processes = Process.objects.filter(scope.process_filter())
        entries = entries.filter(
            Q(target_type="core.process", target_id__in=_str_ids(processes))
            | Q(
                target_type="proposals.proposal", target_id__in=_str_ids(Proposal.objects.filter(process__in=processes))
            )
            | Q(
                target_type="proposals.comment",
                target_id__in=_str_ids(Comment.objects.filter(proposal__process__in=processes)),
            )
            | Q(
                target_type="followup.commitment",
                target_id__in=_str_ids(Commitment.objects.filter(process__in=processes)),
            )
            # Role changes: a revoked assignment is gone, so its scope is read from the details.
            | Q(target_type="core.roleassignment", details__territory__in=sorted(scope.territory_ids))
            | Q(
                target_type="core.roleassignment",
                details__process__in=list(processes.order_by().values_list("pk", flat=True)),
            )
        )
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-created_at", "-pk")


def is_answer_overdue(process: Process) -> bool:
    return process.answer_due < timezone.localdate()


def answer_draft_of(proposal: Proposal) -> AnswerDraft | None:
    return AnswerDraft.objects.filter(proposal=proposal).select_related("author").first()


def answers_to_sign(process: Process) -> QuerySet[AnswerDraft]:
    """The answers submitted for signature on ``process``, oldest proposals first."""
    return (
        AnswerDraft.objects.filter(proposal__process=process, state=AnswerDraft.State.SUBMITTED)
        .select_related("proposal", "author")
        .order_by("proposal__pk")
    )


def paper_contact_of(proposal: Proposal) -> PaperContact | None:
    """Personal data of a paper contributor: for the agents of the process only."""
    return PaperContact.objects.filter(proposal=proposal).first() if proposal.is_paper else None
