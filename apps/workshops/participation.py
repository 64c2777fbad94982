"""Participation figures of citizen workshops (for the indicators), declared in its
manifest: attendance at panel sessions, by day of the session and territory of the process.

Sessions are sittings of the shared sittings app; their attendance is read there."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from apps.core.participation import counts_by_day, day_of
from apps.core.registry import ParticipationCount

MEETING = "meeting"


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from django.contrib.contenttypes.models import ContentType

    from apps.sittings.models import Attendance
    from apps.workshops.models import Workshop

    yield from counts_by_day(
        Attendance.objects.filter(
            sitting__body_type=ContentType.objects.get_for_model(Workshop), status=Attendance.Status.PRESENT
        ),
        kind="attendance",
        day=day_of("sitting__starts_at"),
        territory="sitting__workshop__process__territory_id",
        channel=MEETING,
        start=start,
        end=end,
    )
