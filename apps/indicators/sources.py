"""Where the indicators count people: the raw events, or their rollups.

All three answer the same questions with the same definitions (distinct people with an account, plus
one per act without an account; see :mod:`apps.indicators.selectors`), and a test checks that
they give identical figures on a random world. The rollup (:mod:`apps.indicators.rollup`) is
what the pages use: with 5 million events, the raw path reads every event of the year several
times (seconds per table); the process rollup holds one row per person, process, module,
channel and snapshot (process pages, over-solicitation), the people rollup one per person,
module and snapshot (the city and the quartiers).
``INDICATORS_SOURCE`` (environment variable, archipel/settings.py) switches to
``"process_rollup"`` or back to the raw path, ``"events"`` (to compare, or if the triggers were
lost, e.g. by a SQLite table rebuild)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, Max, OuterRef, Q, QuerySet, Sum, When
from django.db.models.functions import ExtractQuarter

from apps.core.models import ParticipationEvent, Process
from apps.core.participation import recording_modules
from apps.indicators.models import ParticipantRollup, ParticipationRollup
from apps.indicators.rollup import CHANNELS
from apps.indicators.scopes import Scope

# Over-solicitation: acts in this many distinct processes within one quarter of a year.
SOLICITED_PROCESSES = 3
# The event columns a table can be split by, and the rollup column that holds each.
ROLLUP_COLUMNS = {
    "channel": "channel",
    "age_band": "age_band",
    "gender": "gender",
    "priority_area": "priority_area",
    "territory_id": "territory_key",
}


class Source(Protocol):
    def people(self, scope: Scope) -> int: ...

    def people_by(self, scope: Scope, column: str, *, residents: bool = False) -> dict[Any, int]: ...

    def acts_by_channel(self, scope: Scope) -> dict[str, int]: ...

    def renewal(self, scope: Scope) -> tuple[int, int, int, int]:
        """(participants with an account, first-timers, the year before's, returning)."""
        ...

    def over_solicited(self, scope: Scope) -> int: ...

    def process_ids(self, scope: Scope) -> set[int]: ...

    def years(self) -> list[int]: ...


def _previous(scope: Scope) -> Scope:
    return Scope(scope.year - 1, scope.process, scope.territory)


class Events:
    """The raw events: exact, simple, slow on millions of rows."""

    def _people(self, events: QuerySet[ParticipationEvent], column: str | None) -> dict[Any, int]:
        counts = {
            "accounts": Count("person", distinct=True),
            "anonymous": Count("pk", filter=Q(person__isnull=True)),
        }
        events = events.order_by()
        rows = [events.aggregate(**counts)] if column is None else events.values(column).annotate(**counts)
        return {
            (row[column] if column is not None else None): int(row["accounts"] or 0) + int(row["anonymous"] or 0)
            for row in rows
        }

    def people(self, scope: Scope) -> int:
        return self._people(scope.events(), None).get(None, 0)

    def people_by(self, scope: Scope, column: str, *, residents: bool = False) -> dict[Any, int]:
        return self._people(scope.resident_events() if residents else scope.events(), column)

    def acts_by_channel(self, scope: Scope) -> dict[str, int]:
        rows = scope.events().order_by().values_list("channel").annotate(n=Count("pk")).values_list("channel", "n")
        return {channel: int(count) for channel, count in rows}

    def renewal(self, scope: Scope) -> tuple[int, int, int, int]:
        events = scope.events().filter(person__isnull=False)
        before = _previous(scope).events().filter(person__isnull=False)
        participants = events.values("person").distinct().count()
        first = events.filter(first_time=True).values("person").distinct().count()
        previous = before.values("person").distinct().count()
        returning = events.filter(person__in=before.values("person")).values("person").distinct().count()
        return participants, first, previous, returning

    def over_solicited(self, scope: Scope) -> int:
        rows = (
            scope.events()
            .filter(person__isnull=False, process__isnull=False)
            .annotate(quarter=ExtractQuarter("day"))
            .values("person", "quarter")
            .annotate(processes=Count("process", distinct=True))
            .filter(processes__gte=SOLICITED_PROCESSES)
            .values_list("person", flat=True)
        )
        return len(set(rows))

    def process_ids(self, scope: Scope) -> set[int]:
        return set(scope.events().exclude(process=None).values_list("process", flat=True).distinct())

    def years(self) -> list[int]:
        return sorted({day.year for day in ParticipationEvent.objects.dates("day", "year")}, reverse=True)


class ProcessRollup:
    """The process rollup: the same answers from one row per person, process, channel and
    snapshot of the year (see ``ParticipationRollup``)."""

    def rows(self, scope: Scope, *, residents: bool = False) -> QuerySet[ParticipationRollup]:
        rows = ParticipationRollup.objects.filter(year=scope.year)
        if scope.process is not None:
            rows = rows.filter(process_key=scope.process.pk)
        return _in_scope(rows, scope, residents=residents)

    @staticmethod
    def _counts() -> dict[str, Any]:
        return {
            "accounts": Count("person_key", distinct=True, filter=Q(person_key__gt=0)),
            "anonymous": Sum("acts", filter=Q(person_key=0)),
        }

    def people(self, scope: Scope) -> int:
        row = self.rows(scope).aggregate(**self._counts())
        return int(row["accounts"] or 0) + int(row["anonymous"] or 0)

    def people_by(self, scope: Scope, column: str, *, residents: bool = False) -> dict[Any, int]:
        name = ROLLUP_COLUMNS[column]
        rows = self.rows(scope, residents=residents).values(name).annotate(**self._counts())
        return {_event_value(column, row[name]): int(row["accounts"] or 0) + int(row["anonymous"] or 0) for row in rows}

    def acts_by_channel(self, scope: Scope) -> dict[str, int]:
        rows = self.rows(scope).values_list("channel").annotate(n=Sum("acts")).values_list("channel", "n")
        return {channel: int(count) for channel, count in rows}

    def renewal(self, scope: Scope) -> tuple[int, int, int, int]:
        rows = self.rows(scope).filter(person_key__gt=0)
        before = self.rows(_previous(scope)).filter(person_key__gt=0)
        participants = rows.values("person_key").distinct().count()
        first = rows.filter(first_acts__gt=0).values("person_key").distinct().count()
        previous = before.values("person_key").distinct().count()
        returning = rows.filter(person_key__in=before.values("person_key")).values("person_key").distinct().count()
        return participants, first, previous, returning

    def over_solicited(self, scope: Scope) -> int:
        # Two hash aggregates rather than four COUNT(DISTINCT) sorts per person (3 times less
        # CPU on the bench's 1.3 million rows of a year): per person and process, the acts of
        # each quarter; then per person, the processes with acts in each quarter.
        per_process = (
            self.rows(scope)
            .filter(person_key__gt=0, process_key__gt=0)
            .values("person_key", "process_key")
            .annotate(**{f"acts_q{q}": Max(f"q{q}") for q in range(1, 5)})
        )
        sql, params = per_process.query.sql_with_params()
        crowded = " OR ".join(f"COUNT(*) FILTER (WHERE acts_q{q} > 0) >= %s" for q in range(1, 5))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT person_key FROM ({sql}) AS per_process "  # noqa: S608  (Django's own SQL)
                f"GROUP BY person_key HAVING {crowded}) AS crowded",
                (*params, *[SOLICITED_PROCESSES] * 4),
            )
            return int(cursor.fetchone()[0])

    def process_ids(self, scope: Scope) -> set[int]:
        return set(self.rows(scope).filter(process_key__gt=0).values_list("process_key", flat=True).distinct())

    def years(self) -> list[int]:
        return sorted(ParticipationRollup.objects.values_list("year", flat=True).distinct().order_by(), reverse=True)


class Rollup(ProcessRollup):
    """What the pages read: the process rollup for a process's figures and over-solicitation
    (both need the process), the process-free ``ParticipantRollup`` (about one row per
    participant and year) for the city and quartiers."""

    def people_rows(
        self, scope: Scope, *, residents: bool = False, years: tuple[int, ...] = ()
    ) -> QuerySet[ParticipantRollup]:
        rows = ParticipantRollup.objects.filter(year__in=years or (scope.year,))
        return _in_scope(rows, scope, residents=residents)

    def people(self, scope: Scope) -> int:
        if scope.process is not None:
            return super().people(scope)
        return self.people_summary(scope)["people"][None]

    def people_by(self, scope: Scope, column: str, *, residents: bool = False) -> dict[Any, int]:
        # Without a process, a scope's residents are its rows (the city, or the quartier's).
        if scope.process is not None:
            return super().people_by(scope, column, residents=residents)
        return dict(self.people_summary(scope)[column])

    def people_summary(self, scope: Scope) -> dict[str, dict[Any, int]]:
        """The people of a city or quartier scope, in all, by channel and by each snapshot column,
        from one scan (see :func:`_summary_sql`); remembered inside :func:`shared_reads`."""
        memo = _MEMO.get()
        key = (scope.year, scope.territory.pk if scope.territory is not None else None)
        if memo is not None and key in memo:
            return memo[key]
        summary = self._summary(scope) if connection.vendor == "postgresql" else self._summary_by_queries(scope)
        if memo is not None:
            memo[key] = summary
        return summary

    def _summary(self, scope: Scope) -> dict[str, dict[Any, int]]:
        columns = ("person_key", *SNAPSHOT_COLUMNS.values(), "acts", *(f"acts_{c}" for c in CHANNELS))
        inner, params = self.people_rows(scope).values(*columns).query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            # Compiling this plan (JIT) costs more than it saves on a few hundred thousand rows.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(_summary_sql(inner), (*params, *params))
            rows = cursor.fetchall()
        summary: dict[str, dict[Any, int]] = {"people": {None: 0}, "channel": {}}
        summary.update({column: {} for column in SNAPSHOT_COLUMNS})
        width = len(SNAPSHOT_COLUMNS)
        for set_id, *row in rows:
            values, people, by_column, by_channel = (
                row[:width],
                row[width],
                row[width + 1 : 2 * width + 1],
                row[-len(CHANNELS) :],
            )
            if set_id == _ALL_SETS:
                summary["people"][None] += int(people or 0)
                for channel, count in zip(CHANNELS, by_channel, strict=True):
                    if count:
                        summary["channel"][channel] = summary["channel"].get(channel, 0) + int(count)
                continue
            for position, column in enumerate(SNAPSHOT_COLUMNS):
                # (An empty branch's sums are NULL.)
                if set_id == _ALL_SETS - (1 << (width - 1 - position)) and by_column[position]:
                    value = _event_value(column, values[position])
                    summary[column][value] = summary[column].get(value, 0) + int(by_column[position])
        return summary

    def _summary_by_queries(self, scope: Scope) -> dict[str, dict[Any, int]]:
        """The same, one ``COUNT(DISTINCT)`` query per figure (SQLite has no ``GROUPING SETS``)."""
        rows = self.people_rows(scope)
        counts: dict[str, Any] = {}
        for channel in CHANNELS:
            acts = f"acts_{channel}"
            counts[f"{channel}_accounts"] = Count(
                "person_key", distinct=True, filter=Q(person_key__gt=0, **{f"{acts}__gt": 0})
            )
            counts[f"{channel}_anonymous"] = Sum(acts, filter=Q(person_key=0))
        row = rows.aggregate(**counts, **self._counts())
        channels = {c: int(row[f"{c}_accounts"] or 0) + int(row[f"{c}_anonymous"] or 0) for c in CHANNELS}
        summary: dict[str, dict[Any, int]] = {
            "people": {None: int(row["accounts"] or 0) + int(row["anonymous"] or 0)},
            "channel": {channel: total for channel, total in channels.items() if total},
        }
        for column, name in SNAPSHOT_COLUMNS.items():
            grouped = rows.values(name).annotate(**self._counts())
            summary[column] = {
                _event_value(column, row[name]): int(row["accounts"] or 0) + int(row["anonymous"] or 0)
                for row in grouped
            }
        return summary

    def acts_by_channel(self, scope: Scope) -> dict[str, int]:
        if scope.process is not None:
            return super().acts_by_channel(scope)
        row = self.people_rows(scope).aggregate(**{channel: Sum(f"acts_{channel}") for channel in CHANNELS})
        return {channel: int(row[channel]) for channel in CHANNELS if row[channel]}

    def renewal(self, scope: Scope) -> tuple[int, int, int, int]:
        if scope.process is not None:
            return super().renewal(scope)
        # One pass over both years: per person, whether they acted this year, the year before,
        # for the first time; then four sums (no COUNT(DISTINCT), no semi-join).
        this, before = scope.year, scope.year - 1
        people = (
            self.people_rows(scope, years=(before, this))
            .filter(person_key__gt=0)
            .values("person_key")
            .annotate(
                acted_now=Max(Case(When(year=this, then=1), default=0)),
                acted_before=Max(Case(When(year=before, then=1), default=0)),
                first_now=Max(Case(When(year=this, first_acts__gt=0, then=1), default=0)),
            )
        )
        row = people.aggregate(
            participants=Sum("acted_now"),
            first=Sum("first_now"),
            previous=Sum("acted_before"),
            returning=Count("person_key", filter=Q(acted_now=1, acted_before=1)),
        )
        return (
            int(row["participants"] or 0),
            int(row["first"] or 0),
            int(row["previous"] or 0),
            int(row["returning"] or 0),
        )

    def process_ids(self, scope: Scope) -> set[int]:
        # One index probe per process (the rollup's (year, process) index) rather than a scan of
        # the year's rows for their distinct processes.
        rows = self.rows(scope).filter(process_key=OuterRef("pk"))
        return set(Process.objects.filter(Exists(rows)).values_list("pk", flat=True))

    def years(self) -> list[int]:
        return sorted(ParticipantRollup.objects.values_list("year", flat=True).distinct().order_by(), reverse=True)


# The snapshot columns of the events (the tables' dimensions) and the rollup column of each.
SNAPSHOT_COLUMNS = {column: name for column, name in ROLLUP_COLUMNS.items() if column != "channel"}
# ``GROUPING()`` of the per-person set (every snapshot column grouped out): each snapshot
# column's own set clears its bit.
_ALL_SETS = (1 << len(SNAPSHOT_COLUMNS)) - 1
_MEMO: ContextVar[dict[tuple[int, int | None], dict[str, dict[Any, int]]] | None] = ContextVar(
    "indicators_people_summaries", default=None
)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block, each city or quartier scope's people are read once (a page asks for
    them six times: the participants, the channels, four dimensions). Re-entrant."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _summary_sql(rows: str) -> str:
    """One statement instead of six ``COUNT(DISTINCT person_key)`` (six sorts of the year's rows).

    The accounts' rows are collapsed to one per person and snapshot, in person order (the
    rollup's index gives it: a sort of tiny groups only); windows over each person mark their
    first row, and their first row for each value of each snapshot column; one last pass
    counts the marks, in all and by each column (``GROUPING SETS``), with a bit per channel the
    person acted through. The acts without an account (``person_key`` 0: a few rows, found by
    the index) count one each: a second, small branch gives their sums in the same layout
    (set, values, people, people by each column, people by channel), which the caller adds."""
    names = list(SNAPSHOT_COLUMNS.values())
    columns = ", ".join(names)
    mask = " + ".join(
        f"CASE WHEN acts_{channel} > 0 THEN {1 << bit} ELSE 0 END" for bit, channel in enumerate(CHANNELS)
    )
    firsts = ", ".join(
        f"ROW_NUMBER() OVER (PARTITION BY person_key, {name}) = 1 AS first_{position}"
        for position, name in enumerate(names)
    )
    by_column = ", ".join(f"COUNT(*) FILTER (WHERE first_{position})" for position in range(len(names)))
    by_channel = ", ".join(
        f"COUNT(*) FILTER (WHERE first_person AND mask & {1 << bit} <> 0)" for bit in range(len(CHANNELS))
    )
    sets = ", ".join(["()", *(f"({name})" for name in names)])
    anonymous = ", ".join(["SUM(acts)"] * (1 + len(names)) + [f"SUM(acts_{channel})" for channel in CHANNELS])
    return (
        f"SELECT GROUPING({columns}), {columns}, COUNT(*) FILTER (WHERE first_person), {by_column}, {by_channel} "  # noqa: S608
        f"FROM (SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY person_key) = 1 AS first_person, "
        f"BIT_OR(mask) OVER (PARTITION BY person_key) AS mask, {firsts} "
        f"FROM (SELECT person_key, {columns}, BIT_OR({mask}) AS mask FROM ({rows}) AS accounts "
        f"WHERE person_key > 0 GROUP BY person_key, {columns}) AS snapshots) AS marked "
        f"GROUP BY GROUPING SETS ({sets}) "
        f"UNION ALL SELECT GROUPING({columns}), {columns}, {anonymous} "
        f"FROM ({rows}) AS anonymous WHERE person_key = 0 GROUP BY GROUPING SETS ({sets})"
    )


R = TypeVar("R", ParticipationRollup, ParticipantRollup)


def _in_scope(rows: QuerySet[R], scope: Scope, *, residents: bool) -> QuerySet[R]:
    """A rollup's rows of the recording modules and of the scope's quartiers (with
    ``residents``, those of the population the scope is compared with)."""
    rows = rows.filter(module__in=recording_modules())
    ids = scope.territory_ids()
    if residents and ids is None:
        ids = scope.reference_territory_ids()
    if ids is not None:
        rows = rows.filter(territory_key__in=ids)
    return rows.order_by()


def _event_value(column: str, value: Any) -> Any:
    """The rollup's never-NULL key back to the event's value (0 and -1 stand for NULL)."""
    if column == "priority_area":
        return None if value == -1 else bool(value)
    if column == "territory_id":
        return value or None
    return value


SOURCES: dict[str, Source] = {"events": Events(), "process_rollup": ProcessRollup(), "rollup": Rollup()}


def current() -> Source:
    name = getattr(settings, "INDICATORS_SOURCE", "rollup")
    if name not in SOURCES:
        raise ImproperlyConfigured(f"INDICATORS_SOURCE must be one of {', '.join(sorted(SOURCES))}, not {name!r}")
    return SOURCES[name]
