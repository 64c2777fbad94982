"""Open data rows of participatory budgets (streamed). No personal data: authors are
pseudonymised, only the collective's name is published; votes only once results are published."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from apps.core.pseudonyms import pseudonym

if TYPE_CHECKING:
    from apps.core.models import Process

CHUNK = 2000

PROJECT_FIELDS = (
    "id",
    "process",
    "envelope",
    "title",
    "description",
    "address",
    "author",
    "collective",
    "status",
    "estimated_cost",
    "city_cost",
    "cost",
    "analysis_reason",
    "merged_into_id",
    "ballot_number",
    "votes",
    "selected",
    "created_at",
    "url",
)
ENVELOPE_FIELDS = ("id", "process", "territory", "amount", "total_amount", "computation")


def _budgets(process: Process | None) -> Any:
    from apps.budgets.models import Budget

    queryset = Budget.objects.filter(process__is_published=True)
    if process is not None:
        queryset = queryset.filter(process=process)
    return queryset


def project_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.budgets.models import Project, Result

    budgets = _budgets(process)
    votes: dict[int, Any] = {}
    selected: set[int] = set()
    for result in Result.objects.filter(
        envelope__budget__in=budgets, envelope__budget__results_published_at__isnull=False
    ).only("explanations", "selected"):
        for pk, explanation in (result.explanations or {}).items():
            votes[int(pk)] = explanation.get("votes")
        selected.update(int(pk) for pk in result.selected)
    queryset = (
        Project.objects.filter(budget__in=budgets)
        .select_related("budget__process", "envelope__territory")
        .order_by("pk")
    )
    for project in queryset.iterator(chunk_size=CHUNK):
        yield {
            "id": project.pk,
            "process": project.budget.process.slug,
            "envelope": project.envelope.territory.name if project.envelope.territory else "ville",
            "title": project.title,
            "description": project.description,
            "address": project.address,
            "author": pseudonym("user", project.author_id),
            "collective": project.collective,
            "status": project.status,
            "estimated_cost": project.estimated_cost,
            "city_cost": project.city_cost,
            "cost": project.cost,
            "analysis_reason": project.analysis_reason,
            "merged_into_id": project.merged_into_id,
            "ballot_number": project.ballot_number,
            "votes": votes.get(project.pk),
            "selected": (project.pk in selected) if project.pk in votes else None,
            "created_at": project.created_at.isoformat(),
            "url": project.get_absolute_url(),
        }


def envelope_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.budgets.models import Envelope

    queryset = (
        Envelope.objects.filter(budget__in=_budgets(process))
        .select_related("budget__process", "territory")
        .order_by("pk")
    )
    for envelope in queryset.iterator(chunk_size=CHUNK):
        yield {
            "id": envelope.pk,
            "process": envelope.budget.process.slug,
            "territory": envelope.territory.name if envelope.territory else "ville",
            "amount": envelope.amount,
            "total_amount": envelope.budget.total_amount,
            "computation": json.dumps((envelope.computation or {}).get("row"), ensure_ascii=False),
        }
