"""Participation figures of the participatory budget (for the indicators), declared in its
manifest: ballots by day, quartier and channel, counted from the voter records (which say
who voted, never what) — ballots themselves carry no date and are never read here."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import F

from apps.core.participation import counts_by_day
from apps.core.registry import ParticipationCount


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from apps.budgets.models import VoterRecord

    yield from counts_by_day(
        VoterRecord.objects.all(),
        kind="ballot",
        day="voted_on",
        territory="territory_id",
        channel=F("channel"),
        start=start,
        end=end,
    )
