# ruff: noqa: S608  (every name in these statements is a constant of this module)
"""The incremental aggregates of the participation events, kept by database triggers.

Two rollups, one code path (:class:`Spec`):

- ``ParticipationRollup`` (:data:`PROCESSES`): per year, module, **process**, snapshot, channel
  and person, with the acts of each quarter. Process pages and over-solicitation read it.
- ``ParticipantRollup`` (:data:`PEOPLE`): per year, module, snapshot and person, **no process
  and no channel key** (the acts of each channel are columns): about one row per participant and
  year, several times smaller. The city and quartier pages read it.

The events are written by every module's service, by ``bulk_create`` in demos and tests, by
the vote close's reshuffle (delete and re-insert) and updated by the account deletion (``person``
set NULL). Database triggers are the one place that sees all of these, inside the writer's
transaction: a rollup can never drift from the events, whoever writes them.

- **PostgreSQL**: statement-level triggers with transition tables, so that a ``COPY`` or a
  ``bulk_create`` of a million events is one grouped upsert per rollup, not a million.
- **SQLite** (the demo): row-level triggers with the same upsert.

:func:`rebuild` recomputes a whole table from the events (after a restore, or to check it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

EVENTS = "core_participationevent"
# The channels that have their own acts column in ``ParticipantRollup`` (apps.core.models.Channel;
# a new channel needs a column and a migration: a test compares the two lists).
CHANNELS = ("online", "paper", "counter", "street", "meeting", "phone")


def _year(alias: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"EXTRACT(YEAR FROM {alias}.day)::int"
    return f"CAST(strftime('%Y', {alias}.day) AS INTEGER)"


def _quarter(alias: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"EXTRACT(QUARTER FROM {alias}.day)::int"
    return f"((CAST(strftime('%m', {alias}.day) AS INTEGER) + 2) / 3)"


def _first(alias: str, vendor: str) -> str:
    test = f"{alias}.first_time" if vendor == "postgresql" else f"{alias}.first_time = 1"
    return f"CASE WHEN {test} THEN 1 ELSE 0 END"


def _snapshot(alias: str) -> list[str]:
    """Territory, QPV flag, age band, gender: never NULL, so that the upsert finds its row."""
    return [
        f"COALESCE({alias}.territory_id, 0)",
        f"CASE WHEN {alias}.priority_area IS NULL THEN -1 WHEN {alias}.priority_area THEN 1 ELSE 0 END",
        f"{alias}.age_band",
        f"{alias}.gender",
    ]


def _process_keys(alias: str, vendor: str) -> list[str]:
    return [
        _year(alias, vendor),
        f"{alias}.module",
        f"COALESCE({alias}.process_id, 0)",
        *_snapshot(alias),
        f"{alias}.channel",
        f"COALESCE({alias}.person_id, 0)",
    ]


def _process_measures(alias: str, vendor: str) -> list[str]:
    quarter = _quarter(alias, vendor)
    return ["1", _first(alias, vendor), *(f"CASE WHEN {quarter} = {q} THEN 1 ELSE 0 END" for q in range(1, 5))]


def _people_keys(alias: str, vendor: str) -> list[str]:
    return [_year(alias, vendor), f"{alias}.module", *_snapshot(alias), f"COALESCE({alias}.person_id, 0)"]


def _people_measures(alias: str, vendor: str) -> list[str]:
    return [
        "1",
        _first(alias, vendor),
        *(f"CASE WHEN {alias}.channel = '{channel}' THEN 1 ELSE 0 END" for channel in CHANNELS),
    ]


@dataclass(frozen=True)
class Spec:
    """One rollup: its table, key columns and measures, each with the SQL that computes it from
    an event row (``alias``); a measure is the sum over the events of its per-event value."""

    table: str
    function: str  # the PostgreSQL trigger function; also the prefix of the triggers' names
    keys: tuple[str, ...]
    measures: tuple[str, ...]
    key_sql: Callable[[str, str], list[str]]
    measure_sql: Callable[[str, str], list[str]]

    @property
    def triggers(self) -> tuple[str, str, str]:
        return (f"{self.function}_insert", f"{self.function}_update", f"{self.function}_delete")


PROCESSES = Spec(
    table="indicators_participationrollup",
    function="indicators_rollup",
    keys=(
        "year",
        "module",
        "process_key",
        "territory_key",
        "priority_area",
        "age_band",
        "gender",
        "channel",
        "person_key",
    ),
    measures=("acts", "first_acts", "q1", "q2", "q3", "q4"),
    key_sql=_process_keys,
    measure_sql=_process_measures,
)
PEOPLE = Spec(
    table="indicators_participantrollup",
    function="indicators_people_rollup",
    keys=("year", "module", "territory_key", "priority_area", "age_band", "gender", "person_key"),
    measures=("acts", "first_acts", *(f"acts_{channel}" for channel in CHANNELS)),
    key_sql=_people_keys,
    measure_sql=_people_measures,
)
SPECS = (PROCESSES, PEOPLE)
# The process rollup's names, as the first migration and the tests know them.
ROLLUP, KEYS, MEASURES, TRIGGERS = PROCESSES.table, PROCESSES.keys, PROCESSES.measures, PROCESSES.triggers


def _grouped(spec: Spec, source: str, vendor: str) -> str:
    """The events of ``source`` added up by key: ``SELECT keys…, measures…``."""
    keys = spec.key_sql("e", vendor)
    measures = [f"SUM({expression})" for expression in spec.measure_sql("e", vendor)]
    positions = ", ".join(str(index) for index in range(1, len(keys) + 1))
    return f"SELECT {', '.join(keys + measures)} FROM {source} e GROUP BY {positions} ORDER BY {positions}"


def _upsert(spec: Spec, select: str) -> str:
    # ``WHERE true``: SQLite needs it to tell the upsert's ON from a join's.
    updates = ", ".join(f"{name} = {spec.table}.{name} + excluded.{name}" for name in spec.measures)
    columns = ", ".join(spec.keys + spec.measures)
    return (
        f"INSERT INTO {spec.table} ({columns}) SELECT * FROM ({select}) AS grouped WHERE true "
        f"ON CONFLICT ({', '.join(spec.keys)}) DO UPDATE SET {updates}"
    )


def _postgresql_function(spec: Spec) -> str:
    match = " AND ".join(f"r.{name} = g.{name}" for name in spec.keys)
    subtract = ", ".join(f"{name} = r.{name} - g.{name}" for name in spec.measures)
    names = ", ".join(spec.keys + spec.measures)
    old_keys = ", ".join(
        f"{expression} AS {name}" for expression, name in zip(spec.key_sql("e", "postgresql"), spec.keys, strict=True)
    )
    return f"""
CREATE OR REPLACE FUNCTION {spec.function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE {spec.table} r SET {subtract}
      FROM (SELECT * FROM ({_grouped(spec, "old_rows", "postgresql")}) AS s ({names})) g
      WHERE {match};
    DELETE FROM {spec.table} r
      USING (SELECT DISTINCT {old_keys} FROM old_rows e) g
      WHERE {match} AND r.acts <= 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_upsert(spec, _grouped(spec, "new_rows", "postgresql"))};
  END IF;
  RETURN NULL;
END $$;
"""


def _postgresql_install(spec: Spec) -> list[str]:
    insert, update, delete = spec.triggers
    run = f"FOR EACH STATEMENT EXECUTE FUNCTION {spec.function}()"
    return [
        _postgresql_function(spec),
        f"CREATE TRIGGER {insert} AFTER INSERT ON {EVENTS} REFERENCING NEW TABLE AS new_rows {run}",
        f"CREATE TRIGGER {update} AFTER UPDATE ON {EVENTS} "
        f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {run}",
        f"CREATE TRIGGER {delete} AFTER DELETE ON {EVENTS} REFERENCING OLD TABLE AS old_rows {run}",
    ]


def _sqlite_add(spec: Spec) -> str:
    keys, measures = spec.key_sql("NEW", "sqlite"), spec.measure_sql("NEW", "sqlite")
    updates = ", ".join(f"{name} = {name} + excluded.{name}" for name in spec.measures)
    return (
        f"INSERT INTO {spec.table} ({', '.join(spec.keys + spec.measures)}) VALUES ({', '.join(keys + measures)}) "
        f"ON CONFLICT ({', '.join(spec.keys)}) DO UPDATE SET {updates};"
    )


def _sqlite_subtract(spec: Spec) -> str:
    keys, measures = spec.key_sql("OLD", "sqlite"), spec.measure_sql("OLD", "sqlite")
    match = " AND ".join(f"{name} = {expression}" for name, expression in zip(spec.keys, keys, strict=True))
    subtract = ", ".join(
        f"{name} = {name} - ({expression})" for name, expression in zip(spec.measures, measures, strict=True)
    )
    return f"UPDATE {spec.table} SET {subtract} WHERE {match}; DELETE FROM {spec.table} WHERE {match} AND acts <= 0;"


def _sqlite_install(spec: Spec) -> list[str]:
    insert, update, delete = spec.triggers
    return [
        f"CREATE TRIGGER {insert} AFTER INSERT ON {EVENTS} BEGIN {_sqlite_add(spec)} END",
        f"CREATE TRIGGER {update} AFTER UPDATE ON {EVENTS} BEGIN {_sqlite_subtract(spec)} {_sqlite_add(spec)} END",
        f"CREATE TRIGGER {delete} AFTER DELETE ON {EVENTS} BEGIN {_sqlite_subtract(spec)} END",
    ]


def install(db: BaseDatabaseWrapper = connection, spec: Spec = PROCESSES) -> None:
    """Create the triggers of ``spec`` (its migration calls it) and fill it from the events."""
    statements = _postgresql_install(spec) if db.vendor == "postgresql" else _sqlite_install(spec)
    with db.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    rebuild(db, spec)


def uninstall(db: BaseDatabaseWrapper = connection, spec: Spec = PROCESSES) -> None:
    with db.cursor() as cursor:
        for name in spec.triggers:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {EVENTS}" if db.vendor == "postgresql" else ""))
        if db.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {spec.function}()")


def installed_triggers(db: BaseDatabaseWrapper = connection) -> set[str]:
    """The names of the triggers on the events table, as the database holds them."""
    if db.vendor == "postgresql":
        sql = f"SELECT tgname FROM pg_trigger WHERE tgrelid = '{EVENTS}'::regclass AND NOT tgisinternal"
    else:
        sql = f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{EVENTS}'"
    with db.cursor() as cursor:
        cursor.execute(sql)
        return {name for (name,) in cursor.fetchall()}


def repair(db: BaseDatabaseWrapper = connection) -> list[Spec]:
    """Put back the triggers of every rollup whose table exists but lacks one, and recompute it.

    SQLite alters a table by copying it into a new one, which drops the triggers on the old one:
    a later migration that touches ``core_participationevent`` would leave the demo's rollups
    silently frozen. Run after every ``migrate`` (``post_migrate``); a no-op when all are there."""
    tables = set(db.introspection.table_names())
    if EVENTS not in tables:
        return []
    present = installed_triggers(db)
    missing = [spec for spec in SPECS if spec.table in tables and not set(spec.triggers) <= present]
    for spec in missing:
        uninstall(db, spec)
        install(db, spec)
    return missing


def rebuild(db: BaseDatabaseWrapper = connection, spec: Spec | None = None) -> None:
    """Recompute ``spec`` (default: every rollup) from every event (one grouped ``INSERT … SELECT``)."""
    with db.cursor() as cursor:
        for each in (spec,) if spec is not None else SPECS:
            cursor.execute(f"DELETE FROM {each.table}")
            columns = ", ".join(each.keys + each.measures)
            cursor.execute(f"INSERT INTO {each.table} ({columns}) {_grouped(each, EVENTS, db.vendor)}")
