"""Budgets in the back office's « À faire » inbox: paper sheets waiting for a second entry by
another agent (double entry), and disputed sheets to arbitrate; and budget projects in the
back office's search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.budgets.models import PaperSheet, Project
from apps.core.backoffice_kit import AGENTS, scope_for
from apps.core.registry import SearchHit, ToDo
from apps.core.textsearch import search_text


def _agents_filter(user: Any, prefix: str) -> Q | None:
    scope = scope_for(user, AGENTS)
    return None if scope.is_empty else scope.process_filter(prefix)


def todo(user: Any) -> Iterator[ToDo]:
    in_scope = _agents_filter(user, "envelope__budget__process__")
    if in_scope is None:
        return
    sheets = (
        PaperSheet.objects.filter(in_scope, envelope__budget__results_published_at__isnull=True)
        .filter(
            # A second entry must come from another agent than the first one.
            Q(state=PaperSheet.State.FIRST_ENTRY) & ~Q(first_by=user) | Q(state=PaperSheet.State.DISPUTED)
        )
        .values("envelope__budget__process_id", "envelope__budget__process__title", "state")
        .annotate(n=Count("pk"))
        .order_by("envelope__budget__process_id", "state")
    )
    for row in sheets:
        values = {"n": row["n"], "process": row["envelope__budget__process__title"]}
        if row["state"] == PaperSheet.State.DISPUTED:
            label = ngettext(
                "%(n)d bulletin papier aux saisies discordantes à arbitrer — %(process)s",
                "%(n)d bulletins papier aux saisies discordantes à arbitrer — %(process)s",
                row["n"],
            )
        else:
            label = ngettext(
                "%(n)d bulletin papier à saisir une seconde fois — %(process)s",
                "%(n)d bulletins papier à saisir une seconde fois — %(process)s",
                row["n"],
            )
        url = reverse("budgets_admin:vote", args=[row["envelope__budget__process_id"]])
        yield ToDo(label % values, row["n"], url)


def search(user: Any, query: str) -> Iterator[SearchHit]:
    in_scope = _agents_filter(user, "budget__process__")
    if in_scope is None:
        return
    projects = search_text(Project.objects.filter(in_scope).select_related("budget__process"), query, ("title",))
    for project in projects.order_by("-pk")[:20]:
        url = reverse("budgets_admin:project", args=[project.pk])
        yield SearchHit(_("Projet du budget participatif"), project.title, url, project.budget.process.title)
