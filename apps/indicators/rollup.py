# ruff: noqa: S608  (every name in these statements is a constant of this module)
"""The incremental aggregates of the participation events (``ParticipationRollup``).

The events are written by every module's service, by ``bulk_create`` in demos and tests, by
the vote close's reshuffle (delete and re-insert) and updated by the account deletion (``person``
set NULL). Database triggers are the one place that sees all of these, inside the writer's
transaction: the rollup can never drift from the events, whoever writes them.

- **PostgreSQL**: statement-level triggers with transition tables, so that a ``COPY`` or a
  ``bulk_create`` of a million events is one grouped upsert, not a million.
- **SQLite** (the demo): row-level triggers with the same upsert.

:func:`rebuild` recomputes the whole table from the events (after a restore, or to check it).
"""

from __future__ import annotations

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

EVENTS = "core_participationevent"
ROLLUP = "indicators_participationrollup"
KEYS = (
    "year",
    "module",
    "process_key",
    "territory_key",
    "priority_area",
    "age_band",
    "gender",
    "channel",
    "person_key",
)
MEASURES = ("acts", "first_acts", "q1", "q2", "q3", "q4")
TRIGGERS = ("indicators_rollup_insert", "indicators_rollup_update", "indicators_rollup_delete")


def _year(alias: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"EXTRACT(YEAR FROM {alias}.day)::int"
    return f"CAST(strftime('%Y', {alias}.day) AS INTEGER)"


def _quarter(alias: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"EXTRACT(QUARTER FROM {alias}.day)::int"
    return f"((CAST(strftime('%m', {alias}.day) AS INTEGER) + 2) / 3)"


def key_expressions(alias: str, vendor: str) -> list[str]:
    """The rollup's key of an event row ``alias``, in the order of :data:`KEYS`."""
    return [
        _year(alias, vendor),
        f"{alias}.module",
        f"COALESCE({alias}.process_id, 0)",
        f"COALESCE({alias}.territory_id, 0)",
        f"CASE WHEN {alias}.priority_area IS NULL THEN -1 WHEN {alias}.priority_area THEN 1 ELSE 0 END",
        f"{alias}.age_band",
        f"{alias}.gender",
        f"{alias}.channel",
        f"COALESCE({alias}.person_id, 0)",
    ]


def _grouped(source: str, vendor: str) -> str:
    """The events of ``source`` added up by rollup key: ``SELECT keys…, measures…``."""
    quarter = _quarter("e", vendor)
    first = "e.first_time" if vendor == "postgresql" else "e.first_time = 1"
    measures = [
        "COUNT(*)",
        f"SUM(CASE WHEN {first} THEN 1 ELSE 0 END)",
        *(f"SUM(CASE WHEN {quarter} = {q} THEN 1 ELSE 0 END)" for q in range(1, 5)),
    ]
    keys = key_expressions("e", vendor)
    positions = ", ".join(str(index) for index in range(1, len(keys) + 1))
    return f"SELECT {', '.join(keys + measures)} FROM {source} e GROUP BY {positions} ORDER BY {positions}"


def _upsert(select: str) -> str:
    # ``WHERE true``: SQLite needs it to tell the upsert's ON from a join's.
    updates = ", ".join(f"{name} = {ROLLUP}.{name} + excluded.{name}" for name in MEASURES)
    columns = ", ".join(KEYS + MEASURES)
    return (
        f"INSERT INTO {ROLLUP} ({columns}) SELECT * FROM ({select}) AS grouped WHERE true "
        f"ON CONFLICT ({', '.join(KEYS)}) DO UPDATE SET {updates}"
    )


def _postgresql_function() -> str:
    match = " AND ".join(f"r.{name} = g.{name}" for name in KEYS)
    subtract = ", ".join(f"{name} = r.{name} - g.{name}" for name in MEASURES)
    names = ", ".join(KEYS + MEASURES)
    old_keys = ", ".join(
        f"{expression} AS {name}" for expression, name in zip(key_expressions("e", "postgresql"), KEYS, strict=True)
    )
    return f"""
CREATE OR REPLACE FUNCTION indicators_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE {ROLLUP} r SET {subtract}
      FROM (SELECT * FROM ({_grouped("old_rows", "postgresql")}) AS s ({names})) g
      WHERE {match};
    DELETE FROM {ROLLUP} r
      USING (SELECT DISTINCT {old_keys} FROM old_rows e) g
      WHERE {match} AND r.acts <= 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_upsert(_grouped("new_rows", "postgresql"))};
  END IF;
  RETURN NULL;
END $$;
"""


def _postgresql_install() -> list[str]:
    return [
        _postgresql_function(),
        f"CREATE TRIGGER indicators_rollup_insert AFTER INSERT ON {EVENTS} "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicators_rollup()",
        f"CREATE TRIGGER indicators_rollup_update AFTER UPDATE ON {EVENTS} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION indicators_rollup()",
        f"CREATE TRIGGER indicators_rollup_delete AFTER DELETE ON {EVENTS} "
        "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION indicators_rollup()",
    ]


def _sqlite_row(alias: str) -> tuple[list[str], list[str]]:
    quarter = _quarter(alias, "sqlite")
    measures = [
        "1",
        f"CASE WHEN {alias}.first_time = 1 THEN 1 ELSE 0 END",
        *(f"CASE WHEN {quarter} = {q} THEN 1 ELSE 0 END" for q in range(1, 5)),
    ]
    return key_expressions(alias, "sqlite"), measures


def _sqlite_add() -> str:
    keys, measures = _sqlite_row("NEW")
    updates = ", ".join(f"{name} = {name} + excluded.{name}" for name in MEASURES)
    return (
        f"INSERT INTO {ROLLUP} ({', '.join(KEYS + MEASURES)}) VALUES ({', '.join(keys + measures)}) "
        f"ON CONFLICT ({', '.join(KEYS)}) DO UPDATE SET {updates};"
    )


def _sqlite_subtract() -> str:
    keys, measures = _sqlite_row("OLD")
    match = " AND ".join(f"{name} = {expression}" for name, expression in zip(KEYS, keys, strict=True))
    subtract = ", ".join(
        f"{name} = {name} - ({expression})" for name, expression in zip(MEASURES, measures, strict=True)
    )
    return f"UPDATE {ROLLUP} SET {subtract} WHERE {match}; DELETE FROM {ROLLUP} WHERE {match} AND acts <= 0;"


def _sqlite_install() -> list[str]:
    return [
        f"CREATE TRIGGER indicators_rollup_insert AFTER INSERT ON {EVENTS} BEGIN {_sqlite_add()} END",
        f"CREATE TRIGGER indicators_rollup_update AFTER UPDATE ON {EVENTS} "
        f"BEGIN {_sqlite_subtract()} {_sqlite_add()} END",
        f"CREATE TRIGGER indicators_rollup_delete AFTER DELETE ON {EVENTS} BEGIN {_sqlite_subtract()} END",
    ]


def install(db: BaseDatabaseWrapper = connection) -> None:
    """Create the triggers (the migration calls it) and fill the rollup from the events."""
    statements = _postgresql_install() if db.vendor == "postgresql" else _sqlite_install()
    with db.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    rebuild(db)


def uninstall(db: BaseDatabaseWrapper = connection) -> None:
    with db.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {EVENTS}" if db.vendor == "postgresql" else ""))
        if db.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS indicators_rollup()")


def rebuild(db: BaseDatabaseWrapper = connection) -> None:
    """Recompute the rollup from every event (one grouped ``INSERT … SELECT``)."""
    with db.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROLLUP}")
        cursor.execute(f"INSERT INTO {ROLLUP} ({', '.join(KEYS + MEASURES)}) {_grouped(EVENTS, db.vendor)}")
