"""Participation figures of the agenda (for the indicators), declared in its manifest: the people
counted on the paper sign-in sheets (by the day of the event and the quartier they live in),
and the online registrations with a confirmed place (by the event's day and quartier)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import F, Sum

from apps.core.participation import ONLINE, PAPER, counts_by_day, day_of
from apps.core.registry import ParticipationCount

SIGNIN = "meeting_attendance"
REGISTRATION = "meeting_registration"


def participation(start: datetime.date, end: datetime.date) -> Iterator[ParticipationCount]:
    from apps.agenda.models import Registration, SignInCount

    rows = (
        SignInCount.objects.annotate(_day=day_of("event__sittings__starts_at"))
        .filter(_day__gte=start, _day__lte=end)
        .values("_day", "territory_id")
        .annotate(_count=Sum("count"))
        .order_by("_day", "territory_id")
    )
    for row in rows:
        yield ParticipationCount(SIGNIN, row["_day"], row["territory_id"], PAPER, int(row["_count"]))
    yield from counts_by_day(
        Registration.objects.filter(status=Registration.Status.CONFIRMED),
        kind=REGISTRATION,
        day=day_of("event__sittings__starts_at"),
        territory=F("event__territory_id"),
        channel=ONLINE,
        start=start,
        end=end,
    )
