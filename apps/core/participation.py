"""Participation figures (for the indicators): how many acts of each kind happened, by day,
territory and channel. Each module declares ``participation(start, end)`` in its manifest;
:func:`participation` merges them. Counts only: never who, never what was voted.

:func:`counts_by_day` is the one query modules use: group a queryset by day, territory and
channel, in the database."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, F, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import TruncDate

from apps.core.registry import ParticipationCount, all_manifests

ONLINE = "online"
PAPER = "paper"


def day_of(field: str) -> Combinable:
    """The local day of a date-time column (the platform's time zone)."""
    return TruncDate(field)


def counts_by_day(
    queryset: QuerySet[Any],
    *,
    kind: str,
    day: Combinable | str,
    territory: Combinable | str,
    channel: Combinable | str,
    start: datetime.date,
    end: datetime.date,
) -> Iterator[ParticipationCount]:
    """One ``ParticipationCount`` per (day, territory, channel) of ``queryset`` between
    ``start`` and ``end`` included. ``day`` and ``territory`` are a column name or an
    expression; ``channel`` is an expression, or a plain value for a single channel."""
    rows = (
        queryset.order_by()
        .annotate(
            _day=F(day) if isinstance(day, str) else day,
            _territory=F(territory) if isinstance(territory, str) else territory,
            _channel=channel if not isinstance(channel, str) else Value(channel),
        )
        .filter(_day__gte=start, _day__lte=end)
        .values("_day", "_territory", "_channel")
        .annotate(_count=Count("pk"))
        .order_by("_day", "_territory", "_channel")
    )
    for row in rows:
        yield ParticipationCount(kind, row["_day"], row["_territory"], row["_channel"], row["_count"])


def participation(start: datetime.date, end: datetime.date) -> list[ParticipationCount]:
    """Every module's counts between ``start`` and ``end`` included, rows of the same kind,
    day, territory and channel added up, sorted."""
    totals: dict[tuple[str, datetime.date, int | None, str], int] = defaultdict(int)
    for manifest in all_manifests():
        if manifest.participation is None:
            continue
        for row in manifest.participation(start, end):
            totals[(row.kind, row.day, row.territory_id, row.channel)] += row.count
    return [
        ParticipationCount(kind, day, territory_id, channel, count)
        for (kind, day, territory_id, channel), count in sorted(
            totals.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0, item[0][3])
        )
    ]
