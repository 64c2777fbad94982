"""Participation figures of citizen councils (for the indicators), declared in its manifest:
members present at meetings, by day of the meeting and territory of the council.

Meetings move to the shared sittings app, which will count attendance for every module."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from apps.core.participation import counts_by_day, day_of
from apps.core.registry import ParticipationCount

MEETING = "meeting"


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from apps.councils.models import Attendance

    yield from counts_by_day(
        Attendance.objects.filter(status=Attendance.Status.PRESENT),
        kind="attendance",
        day=day_of("meeting__starts_at"),
        territory="meeting__council__territory_id",
        channel=MEETING,
        start=start,
        end=end,
    )
