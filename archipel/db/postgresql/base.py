"""Django's PostgreSQL backend, with a health check of reused connections that sends nothing.

``CONN_HEALTH_CHECKS`` makes Django check a reused connection before the first statement of
each request, so that a connection the server closed in the meantime (a restart, a fail-over,
``idle_session_timeout``, an administrator's ``pg_terminate_backend``) is replaced instead of
failing that request. Django's check sends ``SELECT 1`` and waits for the answer: one round
trip, and CPU on both sides, in every request (the ballot of voting day pays it too).

Here the check looks at the connection without a round trip: psycopg's own state (closed,
broken, not idle), then the socket. Between two requests nothing should be waiting on it;
when the server closes a connection it sends its error message (``FATAL …``) and then the end
of the stream, so the socket becomes readable. Anything readable, as any doubt, counts as
unusable: the connection is closed and the request opens a new one. A connection that dies
silently (no message, no end of stream: a cable cut) is not seen, as Django's ``SELECT 1`` would
not see it either before its TCP time-out.
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from django.db.backends.postgresql import base, operations
from psycopg import pq


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str | None:  # type: ignore[override]
        """The statement as logged and captured (``connection.queries``, the query-count tests):
        for the prepared statements of ``apps.core.sql``, which bind on the server, psycopg
        keeps no client-side text, so it is composed here as Django's server-binding mode does."""
        query: str | None = super().last_executed_query(cursor, sql, params)
        if query is None and sql:
            try:
                query = self.compose_sql(sql, params)
            except psycopg.errors.DataError:
                return None
        return query


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        pgconn = connection.pgconn
        # As ``SELECT 1`` would: usable idle or inside a transaction, not in a failed one.
        usable_states = (pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS)
        if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status not in usable_states:
            return False
        try:
            poller = select.poll()  # no limit on the descriptor's number, unlike select()
            poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
            return not poller.poll(0)  # nothing to read, no error, no hang-up
        except (OSError, psycopg.Error):
            return False
