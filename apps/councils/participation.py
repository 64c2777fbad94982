"""Participation figures of citizen councils (for the indicators), declared in its manifest:
members present at meetings, by day of the meeting and territory of the council.

Meetings are sittings of the shared sittings app; their attendance is read there."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from apps.core.participation import counts_by_day, day_of
from apps.core.registry import ParticipationCount

MEETING = "meeting"


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from django.contrib.contenttypes.models import ContentType

    from apps.councils.models import Council
    from apps.sittings.models import Attendance

    yield from counts_by_day(
        Attendance.objects.filter(
            sitting__body_type=ContentType.objects.get_for_model(Council), status=Attendance.Status.PRESENT
        ),
        kind="attendance",
        day=day_of("sitting__starts_at"),
        territory="sitting__council__territory_id",
        channel=MEETING,
        start=start,
        end=end,
    )
