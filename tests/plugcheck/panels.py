"""The test module's panel, « Mon espace » section, personal data and exports: what the
foundation reads from the manifest."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.db.models.functions import TruncDate

from apps.core.phases import hosts_module
from apps.core.registry import ParticipationCount, Rows, TimelineEvent
from tests.plugcheck.models import Pledge

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.core.models import Process

PLEDGE_FIELDS = ("id", "process", "text", "created_at")


def process_panel(request: HttpRequest, process: Process) -> Mapping[str, Any] | None:
    if not hosts_module(process, "plugcheck"):
        return None
    return {"pledge_count": Pledge.objects.filter(process=process).count()}


def account_section(request: HttpRequest) -> Mapping[str, Any] | None:
    pledges = list(Pledge.objects.filter(author=request.user).select_related("process"))
    return {"my_pledges": pledges}


def pledge_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    queryset = Pledge.objects.filter(process__is_published=True).select_related("process")
    if process is not None:
        queryset = queryset.filter(process=process)
    for pledge in queryset.order_by("pk"):
        yield {
            "id": pledge.pk,
            "process": pledge.process.slug,
            "text": pledge.text,
            "created_at": pledge.created_at.isoformat(),
        }


def export_for(user: Any) -> Mapping[str, Rows]:
    return {
        "plugcheck_pledges": [
            {"id": pledge.pk, "process": pledge.process.slug, "text": pledge.text}
            for pledge in Pledge.objects.filter(author=user).select_related("process")
        ]
    }


def timeline(process: Process) -> Iterable[TimelineEvent]:
    for pledge in Pledge.objects.filter(process=process):
        yield TimelineEvent(pledge.created_at, pledge.created_at, "plugcheck", pledge.text)


def participation(start: datetime.date, end: datetime.date) -> Iterable[ParticipationCount]:
    rows = (
        Pledge.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
        .annotate(day=TruncDate("created_at"))
        .values("day", "process__territory_id")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        yield ParticipationCount("pledge", row["day"], row["process__territory_id"], "online", row["count"])


def build_demo(builder: Any) -> dict[str, int]:
    """One pledge on the first process, without touching the demo's random draws (the other
    modules' content stays the same)."""
    from apps.core.models import Process

    process = Process.objects.order_by("pk").first()
    if process is None:
        return {}
    Pledge.objects.create(process=process, author=builder.demo["habitante"], text="Je viendrai à la réunion.")
    return {"promesses témoin": 1}
