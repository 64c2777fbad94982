"""Reads of the back office, with a bounded number of queries whatever the number of rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from apps.core.backoffice_kit import ADMINS, processes_in_scope, scope_for
from apps.core.models import AuditLogEntry, Process
from apps.core.registry import all_manifests
from apps.followup.models import Commitment

if TYPE_CHECKING:
    from apps.backoffice.access import Person


def _count(queryset: QuerySet[Any], link: str) -> Coalesce:
    """A correlated ``COUNT(*)`` subquery: one query for the whole page, no join fan-out."""
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def count_by_process(queryset: QuerySet[Any], link: str) -> Coalesce:
    """For modules annotating the dashboard (``ModuleManifest.dashboard_counts``)."""
    return _count(queryset, link)


def dashboard_processes(user: Person) -> QuerySet[Process]:
    processes = processes_in_scope(user).select_related("territory")
    for manifest in all_manifests():
        if manifest.dashboard_counts is not None:
            processes = manifest.dashboard_counts(processes)
    return processes.order_by("answer_due", "title")


def target_ids(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The keys of ``queryset`` as text, to match ``AuditLogEntry.target_id`` (for modules'
    ``ModuleManifest.audit_targets``)."""
    return _str_ids(queryset)


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
        module_targets = Q(pk__in=[])
        for manifest in all_manifests():
            if manifest.audit_targets is not None:
                module_targets |= manifest.audit_targets(processes)
        entries = entries.filter(
            Q(target_type="core.process", target_id__in=_str_ids(processes))
            | module_targets
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
