"""Emptying the database after a transactional test deletes the rows instead of truncating.

A transactional test (``transaction=True``, ``live_server``: the concurrency tests, the migration
round trips, about 35 tests) commits its writes, so pytest-django empties the database after it
with Django's ``flush``: on PostgreSQL one ``TRUNCATE`` of all 126 tables. ``TRUNCATE`` gives each
table (and each index, each TOAST table) a new file and drops the old one at commit; for a few
rows in a few tables that costs PostgreSQL 1–7 s of wall time per test (7 s at load 9), against
under a second (mostly the re-creation of content types and permissions that ``flush`` does
either way) for deleting the rows of the tables that have some.

The end state is the same: every Django table empty, sequences untouched (``flush`` without
``reset_sequences``), then the content types and permissions created again by ``post_migrate`` as
before. The deletes run with ``session_replication_role = replica`` for the flush transaction
only: foreign keys are not checked (every table is emptied anyway) and the triggers that forbid
deleting audit-log and ledger rows, or keep the indicator rollups, do not fire (``TRUNCATE`` does
not fire them either). Setting that needs a superuser: on a database where the test account is
not one, nothing is changed and ``flush`` truncates as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


def install(connection: BaseDatabaseWrapper) -> None:
    """Make ``flush`` delete the rows of the non-empty tables (PostgreSQL, as a superuser); elsewhere
    leave it as it is.

    The operations *class* of ``connection``'s backend is patched, not this connection object:
    a test may leave the worker with another wrapper of the same database (a server thread's
    connection handed over, a connection handler reset), and its flush must delete too."""
    if connection.vendor != "postgresql" or not is_superuser(connection):
        return
    operations = type(connection.ops)
    if getattr(operations, "_flush_by_delete", False):
        return
    truncate: Callable[..., list[str]] = operations.sql_flush

    def sql_flush(
        self: Any, style: Any, tables: list[str], *, reset_sequences: bool = False, **options: Any
    ) -> list[str]:
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, **options)
        quote = self.quote_name
        return ["SET LOCAL session_replication_role = replica"] + [
            f"DELETE FROM {quote(table)}" for table in _non_empty(self.connection, tables)
        ]

    operations.sql_flush = sql_flush  # type: ignore[method-assign,assignment]
    operations._flush_by_delete = True  # type: ignore[attr-defined]


def is_superuser(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _non_empty(connection: BaseDatabaseWrapper, tables: list[str]) -> list[str]:
    """The tables that hold at least one row (one query; an empty table answers at once)."""
    quote = connection.ops.quote_name
    query = " UNION ALL ".join(f"(SELECT %s FROM {quote(table)} LIMIT 1)" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        return [row[0] for row in cursor.fetchall()]
