"""Participation figures of sortition (for the indicators), declared in its manifest: the
registrations to a pool (answers to a call for volunteers) by day and territory of the draw.
People put in a pool from the city's lists did not register: they are not counted."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from apps.core.participation import ONLINE, counts_by_day, day_of
from apps.core.registry import ParticipationCount


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from apps.sortition.models import VolunteerApplication

    yield from counts_by_day(
        VolunteerApplication.objects.all(),
        kind="pool_registration",
        day=day_of("created_at"),
        territory="draw__territory_id",
        channel=ONLINE,
        start=start,
        end=end,
    )
