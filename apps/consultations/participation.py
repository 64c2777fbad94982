"""Participation figures (for the indicators): votes and statements by day and territory of the
process, all online. Counts only."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from apps.core.participation import ONLINE, counts_by_day, day_of
from apps.core.registry import ParticipationCount


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from apps.consultations.models import Statement, Vote

    yield from counts_by_day(
        Vote.objects.all(),
        kind="consultation_vote",
        day=day_of("created_at"),
        territory="statement__conversation__process__territory_id",
        channel=ONLINE,
        start=start,
        end=end,
    )
    yield from counts_by_day(
        Statement.objects.exclude(author=None),
        kind="consultation_statement",
        day=day_of("created_at"),
        territory="conversation__process__territory_id",
        channel=ONLINE,
        start=start,
        end=end,
    )
