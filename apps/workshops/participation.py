"""Participation figures of citizen workshops (for the indicators), declared in its
manifest: attendance at panel sessions, by day of the session and territory of the process.

Sessions move to the shared sittings app, which will count attendance for every module."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from apps.core.participation import counts_by_day, day_of
from apps.core.registry import ParticipationCount

MEETING = "meeting"


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from apps.workshops.models import Attendance

    yield from counts_by_day(
        Attendance.objects.all(),
        kind="attendance",
        day=day_of("session__starts_at"),
        territory="session__workshop__process__territory_id",
        channel=MEETING,
        start=start,
        end=end,
    )
