"""Reads of the back office, with a bounded number of queries whatever the number of rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.backoffice_kit import ADMINS, AGENTS, processes_in_scope, scope_for
from apps.core.charts import BarChart, ChartRow, bar_chart
from apps.core.models import AuditLogEntry, Process
from apps.core.registry import SearchHit, all_manifests
from apps.core.textsearch import search_text
from apps.followup.models import Commitment
from apps.followup.selectors import overdue_filter

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


def search_processes(user: Person, query: str, limit: int = 20) -> list[SearchHit]:
    """Processes of the person's scope whose title matches (accents ignored), linked to their
    settings for those who may edit them, to their public page for the others."""
    processes = search_text(processes_in_scope(user).select_related("territory"), query, ("title",))
    editors = scope_for(user, AGENTS)
    hits = []
    for process in processes.order_by("-pk")[:limit]:
        if editors.covers(process):
            url = reverse("backoffice:process_edit", args=[process.pk])
        else:
            url = process.get_absolute_url()
        hits.append(SearchHit(_("Démarche"), process.title, url, process.territory.name))
    return hits


def commitments_chart(user: Person) -> BarChart | None:
    """Commitments of the person's processes by state, overdue ones apart (None when there is
    none): the dashboard's chart."""
    commitments = Commitment.objects.filter(process__in=processes_in_scope(user))
    counts = dict(commitments.values_list("state").annotate(n=Count("pk")).order_by())
    if not counts:
        return None
    overdue = commitments.filter(overdue_filter()).count()
    rows = [
        ChartRow(str(label), float(counts.get(state, 0)), str(counts.get(state, 0)))
        for state, label in Commitment.State.choices
    ]
    rows.append(ChartRow(_("Dont en retard"), float(overdue), str(overdue), alert=bool(overdue)))
    return bar_chart(
        _("Engagements par état"),
        rows,
        caption=_("Nombre d'engagements par état ; les chiffres sont dans le tableau ci-dessous."),
    )
