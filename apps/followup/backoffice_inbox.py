"""The follow-up's lines in the back office's « À faire » inbox and search: overdue commitments
of the processes the person may edit the follow-up of."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.backoffice_kit import scope_for
from apps.core.registry import SearchHit, ToDo
from apps.core.textsearch import search_text
from apps.followup.models import Commitment
from apps.followup.selectors import overdue_filter
from apps.followup.services import FOLLOWUP_EDITORS


def _editable(user: Any) -> Any:
    scope = scope_for(user, FOLLOWUP_EDITORS)
    if scope.is_empty:
        return Commitment.objects.none()
    return Commitment.objects.filter(scope.process_filter("process__"))


def todo(user: Any) -> Iterator[ToDo]:
    overdue = (
        _editable(user)
        .filter(overdue_filter())
        .values("process_id", "process__title")
        .annotate(n=Count("pk"), since=Min("planned_date"))
        .order_by("since", "process_id")
    )
    for row in overdue:
        label = ngettext(
            "%(n)d engagement en retard — %(process)s",
            "%(n)d engagements en retard — %(process)s",
            row["n"],
        ) % {"n": row["n"], "process": row["process__title"]}
        url = reverse("backoffice:commitments", args=[row["process_id"]])
        yield ToDo(label, row["n"], url, due=row["since"], overdue=True)


def search(user: Any, query: str) -> Iterator[SearchHit]:
    found = search_text(_editable(user).select_related("process"), query, ("title",)).order_by("-pk")[:20]
    for commitment in found:
        url = reverse("backoffice:commitment", args=[commitment.pk])
        yield SearchHit(_("Engagement"), commitment.title, url, commitment.process.title)
