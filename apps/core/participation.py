"""Participation for the indicators, two ways.

1. **Events** (preferred): a module's service calls :func:`record` inside its transaction for
   every act of participation; the ``ParticipationEvent`` keeps a snapshot of who took part at
   that moment (quartier, QPV, age band and gender when consented, channel, first act or not).
   A module that records events says so in its manifest (``records_events=True``) and the
   indicators then read its events, not its counts.
2. **Counts**: each module declares ``participation(start, end)`` in its manifest;
   :func:`participation` merges them. Counts only: never who, never what was voted.
   :func:`counts_by_day` is the one query modules use: group a queryset by day, territory and
   channel, in the database. The indicators use them for modules that record no events.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Count, F, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.core.models import Channel, ParticipationEvent, Process, Territory, random_key
from apps.core.registry import ParticipationCount, all_manifests

ONLINE = Channel.ONLINE.value
PAPER = Channel.PAPER.value
CHANNELS = frozenset(Channel.values)
_SYSTEM_RANDOM = random.SystemRandom()


def record(
    *,
    module: str,
    kind: str,
    person: Any | None,
    process: Process | None = None,
    channel: str = ONLINE,
    territory: Territory | None = None,
    age_band: str = "",
    gender: str = "",
    day: datetime.date | None = None,
) -> ParticipationEvent:
    """Record one act of participation, with the snapshot of ``person`` taken now: their home
    quartier (else ``territory``, e.g. the quartier written on a paper form), whether it is a
    QPV, their age band and gender only if they consented to the statistics, and whether this
    is their first act. ``age_band`` and ``gender`` describe a person without an account (a
    paper entry whose form asked them). Call it inside the service's transaction, so the event
    exists exactly when the act does. Never pass what was voted: there is no field for it."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown participation channel {channel!r}")
    first_time: bool | None = None
    if person is not None:
        home = getattr(person, "home_territory", None)
        territory = home if home is not None else territory
        consented = bool(getattr(person, "demographics_consent", False))
        age_band = getattr(person, "age_band", "") if consented else ""
        gender = getattr(person, "gender", "") if consented else ""
        first_time = not ParticipationEvent.objects.filter(person=person).exists()
    event = ParticipationEvent(
        module=module,
        kind=kind,
        day=day or timezone.localdate(),
        process=process,
        territory=territory,
        priority_area=territory.is_priority_area if territory is not None else None,
        age_band=age_band,
        gender=gender,
        channel=channel,
        first_time=first_time,
        person=person,
    )
    # The links are the caller's own objects: checking that they exist would cost a query each.
    event.full_clean(exclude={"process", "territory", "person"})
    event.save(force_insert=True)
    return event


def snapshot_sql(*, module: str, kind: str, person: Any, process_id: int | None) -> tuple[str, list[Any]]:
    """The ``INSERT`` of one online event of ``person`` as SQL and parameters, for a service
    that writes its act in a single statement (the budgets' voting-day path appends it as a CTE,
    ``SELECT … FROM record``): the same snapshot as :func:`record`, the QPV flag and the first
    participation read by the statement itself, so that no query is added. The text is the same
    at every call (built once)."""
    consented = bool(getattr(person, "demographics_consent", False))
    values = [
        random_key(),
        module,
        kind,
        timezone.localdate(),
        process_id,
        person.home_territory_id,
        getattr(person, "age_band", "") if consented else "",
        getattr(person, "gender", "") if consented else "",
        ONLINE,
        person.pk,
    ]
    return _snapshot_statement(), [*values, person.home_territory_id, person.pk]


# The columns :func:`snapshot_sql` binds, in its order; the keys are typed in the statement
# itself: a NULL (no home territory) bound on the server would otherwise be read as text (the
# ballot path prepares this statement).
_SNAPSHOT_COLUMNS = (
    ("id", "::bigint"),
    ("module", ""),
    ("kind", ""),
    ("day", ""),
    ("process_id", "::bigint"),
    ("territory_id", "::bigint"),
    ("age_band", ""),
    ("gender", ""),
    ("channel", ""),
    ("person_id", "::bigint"),
)


@functools.cache
def _snapshot_statement() -> str:
    from django.db import connection

    quote = connection.ops.quote_name
    table = quote(ParticipationEvent._meta.db_table)
    names = [name for name, _cast in _SNAPSHOT_COLUMNS]
    columns = ", ".join(quote(name) for name in [*names, "priority_area", "first_time"])
    placeholders = ", ".join(f"%s{cast}" for _name, cast in _SNAPSHOT_COLUMNS)
    territory = quote(Territory._meta.db_table)
    return (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 (model names, bound values)
        f"SELECT {placeholders}, "
        f"(SELECT {quote('is_priority_area')} FROM {territory} WHERE {quote('id')} = %s), "
        f"NOT EXISTS (SELECT 1 FROM {table} WHERE {quote('person_id')} = %s)"
    )


def reshuffle(*, process_id: int, kind: str) -> int:
    """Rewrite the events of one kind of a process in a random order, with fresh random keys:
    the budgets call it when a vote closes, as they rewrite their voter records and ballots, so
    that the physical row order of a backup pairs no ballot event with a ballot."""
    with transaction.atomic():
        rows = list(ParticipationEvent.objects.filter(process_id=process_id, kind=kind).values())
        _SYSTEM_RANDOM.shuffle(rows)
        ParticipationEvent.objects.filter(process_id=process_id, kind=kind).delete()
        for row in rows:
            row["id"] = random_key()
        ParticipationEvent.objects.bulk_create([ParticipationEvent(**row) for row in rows], batch_size=2000)
    return len(rows)


def recording_modules() -> frozenset[str]:
    """The modules whose indicators come from their events (their manifest says so)."""
    return frozenset(manifest.name for manifest in all_manifests() if manifest.records_events)


def day_of(field: str) -> Combinable:
    """The local day of a date-time column (the platform's time zone)."""
    return TruncDate(field)


def counts_by_day(
    queryset: QuerySet[Any],
    *,
    kind: str,
    day: Combinable | str,
    territory: Combinable | str,
    channel: Combinable | str,
    start: datetime.date,
    end: datetime.date,
) -> Iterator[ParticipationCount]:
    """One ``ParticipationCount`` per (day, territory, channel) of ``queryset`` between
    ``start`` and ``end`` included. ``day`` and ``territory`` are a column name or an
    expression; ``channel`` is an expression, or a plain value for a single channel."""
    rows = (
        queryset.order_by()
        .annotate(
            _day=F(day) if isinstance(day, str) else day,
            _territory=F(territory) if isinstance(territory, str) else territory,
            _channel=channel if not isinstance(channel, str) else Value(channel),
        )
        .filter(_day__gte=start, _day__lte=end)
        .values("_day", "_territory", "_channel")
        .annotate(_count=Count("pk"))
        .order_by("_day", "_territory", "_channel")
    )
    for row in rows:
        yield ParticipationCount(kind, row["_day"], row["_territory"], row["_channel"], row["_count"])


def participation(start: datetime.date, end: datetime.date) -> list[ParticipationCount]:
    """Every module's counts between ``start`` and ``end`` included, rows of the same kind,
    day, territory and channel added up, sorted."""
    totals: dict[tuple[str, datetime.date, int | None, str], int] = defaultdict(int)
    for manifest in all_manifests():
        if manifest.participation is None:
            continue
        for row in manifest.participation(start, end):
            totals[(row.kind, row.day, row.territory_id, row.channel)] += row.count
    return [
        ParticipationCount(kind, day, territory_id, channel, count)
        for (kind, day, territory_id, channel), count in sorted(
            totals.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0, item[0][3])
        )
    ]
