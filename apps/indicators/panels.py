"""The indicators' panel on a process page (who takes part, protected) and its back-office tab."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from apps.core.models import ParticipationEvent, Process
from apps.indicators import privacy, selectors


def process_panel(request: HttpRequest, process: Process) -> Mapping[str, Any] | None:
    if not ParticipationEvent.objects.filter(process=process).exists():
        return None
    year = timezone.localdate().year
    latest = ParticipationEvent.objects.filter(process=process).order_by("-day").values_list("day", flat=True).first()
    if latest is not None:
        year = latest.year
    scope = selectors.Scope(year, process=process)
    with privacy.published(scope.label):  # a public panel: the same figure as /indicateurs/
        participants = privacy.protect_one(selectors.people(scope), "participants")
    return {"indicator_participants": participants, "indicator_year": year, "min_cell": privacy.MIN_CELL}
