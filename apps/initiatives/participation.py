"""Participation figures of the initiatives module (for the indicators): ideas filed, by day,
quartier and channel (online, counter, phone, street)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import F

from apps.core.participation import counts_by_day, day_of
from apps.core.registry import ParticipationCount


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from apps.initiatives.models import Initiative

    yield from counts_by_day(
        Initiative.objects.all(),
        kind="initiative",
        day=day_of("created_at"),
        territory="territory_id",
        channel=F("channel"),
        start=start,
        end=end,
    )
