"""Participation figures of petitions (for the indicators): signatures by day, quartier and
channel (online, paper). Counts only."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import F

from apps.core.participation import counts_by_day
from apps.core.registry import ParticipationCount


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from apps.petitions.models import Signature

    yield from counts_by_day(
        Signature.objects.all(),
        kind="petition_signature",
        day="signed_on",
        territory="territory_id",
        channel=F("channel"),
        start=start,
        end=end,
    )
