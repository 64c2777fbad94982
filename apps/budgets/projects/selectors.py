"""Reads of the budgets' projects part (bounded number of queries per page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from apps.budgets.models import Budget, Envelope, Project, ProjectStatus
from apps.core.covers import is_cover_of
from apps.core.phases import can_view_process
from apps.core.textsearch import search_text
from apps.discussion.selectors import CommentPage, threads_of

GONE = (ProjectStatus.MERGED, ProjectStatus.WITHDRAWN)
SORTS = {
    "recent": ("-created_at", "-pk"),
    "numero": ("ballot_number", "pk"),
    "cout": ("estimated_cost", "pk"),
    "titre": ("title", "pk"),
}


def budget_for_slug(slug: str, user: Any) -> Budget | None:
    budget = (
        Budget.objects.select_related("process__territory")
        .prefetch_related("process__phases", "criteria")
        .filter(process__slug=slug)
        .first()
    )
    if budget is None or not can_view_process(user, budget.process):
        return None
    return budget


def envelopes_of(budget: Budget) -> list[Envelope]:
    """City-wide first, then the quartiers by name."""
    envelopes = list(budget.envelopes.select_related("territory"))
    return sorted(envelopes, key=lambda e: (e.territory is not None, e.territory.name if e.territory else ""))


def project_list(budget: Budget, params: dict[str, str]) -> QuerySet[Project]:
    """Projects filtered by allowlisted, already-validated parameters only."""
    queryset = Project.objects.filter(budget=budget).select_related("envelope__territory")
    if params.get("enveloppe"):
        queryset = queryset.filter(envelope_id=int(params["enveloppe"]))
    if params.get("etat"):
        queryset = queryset.filter(status=params["etat"])
    if params.get("q"):
        queryset = search_text(queryset, params["q"], ("title", "description"))
    # Merged and withdrawn projects live on in other projects or not at all: they come last,
    # whatever the sort, so the list opens on the projects still in play.
    gone = Case(When(status__in=GONE, then=Value(1)), default=Value(0), output_field=IntegerField())
    return queryset.order_by(gone, *SORTS.get(params.get("tri", ""), SORTS["recent"]))


def project_for_detail(pk: int) -> Project | None:
    return (
        Project.objects.select_related("budget__process__territory", "envelope__territory", "author", "merged_into")
        .prefetch_related(
            "budget__process__phases",
            "coauthors",
            Prefetch("merged_projects", queryset=Project.objects.order_by("pk")),
        )
        .filter(pk=pk)
        .first()
    )


def comment_threads(project: Project, page_number: Any, user: Any) -> CommentPage:
    return threads_of(project, page_number, user)


def status_counts(budget: Budget) -> dict[str, int]:
    from django.db.models import Count

    rows = Project.objects.filter(budget=budget).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


PUBLIC_STATUSES = list(ProjectStatus.choices)


def is_public_cover(name: str) -> bool:
    """The cover of a project of a published budget, or one of its copies (``/media/``)."""
    return is_cover_of(name, Project.objects.filter(budget__process__is_published=True))
