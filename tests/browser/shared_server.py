"""A live server that answers on the running test's own database connection.

pytest-django's ``live_server`` serves from other connections, so a browser test had to commit its
rows (``transactional_db``): the fixture world was built for each test and the whole database
flushed after it, which cost more than the browsing itself. This server gives each request thread
the test thread's connection instead: a browser test is an ordinary ``db`` test, rolled back at its
end, and the world is built once per module (:mod:`tests.shared_rows`).

One connection, one transaction, two threads: the rules that keep it sound.

- Requests are served one at a time, and the test thread's queries and atomic blocks wait for the
  request in progress (one re-entrant lock, :attr:`Gate.lock`). A PostgreSQL transaction is one
  stack of savepoints that two threads cannot open and release in turn, and the test must not read
  the half-done state of a request (it would only ever see committed rows before).
- The connection stays open: Django closes a connection found with autocommit off at the start and
  end of each request (``close_old_connections``), which would end the test's transaction.
- ``transaction.on_commit`` callbacks registered since the test began run at the end of each
  request, as after the commit that ends a request in production (and those the test thread
  registers run before the next request), instead of never.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

logger = logging.getLogger(__name__)


class Gate:
    """What the server shares with the running test: the lock, the test's connection (None
    between tests: a request then gets no database) and the index in ``run_on_commit`` of the
    first callback registered during the test (the shared rows' callbacks never run)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.connection: BaseDatabaseWrapper | None = None
        self.callbacks_from = 0

    def run_commit_callbacks(self) -> None:
        connection = self.connection
        if connection is None:
            return
        pending = connection.run_on_commit
        # A callback may register others: they run too, as after a real commit.
        while len(pending) > self.callbacks_from:
            entry: Any = pending.pop(self.callbacks_from)  # (savepoint ids, callback, robust)
            _savepoints, callback, robust = entry
            if not robust:
                callback()
                continue
            try:
                callback()
            except Exception:
                logger.exception("on_commit callback failed")

    def one_query_at_a_time(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        with self.lock:
            return execute(sql, params, many, context)


class _OneRequestAtATime:
    """WSGI middleware: one request at a time, the test's pending callbacks before and after it."""

    def __init__(self, application: Any, gate: Gate) -> None:
        self.application = application
        self.gate = gate

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with self.gate.lock:
            self.gate.run_commit_callbacks()
            body = self.application(environ, start_response)
            try:
                chunks = list(body)
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()  # Django's request_finished, before the lock is released
            self.gate.run_commit_callbacks()
        return chunks


class _SharedConnectionServer(ThreadedWSGIServer):
    gate: Gate

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        connection = self.gate.connection
        if connection is not None:
            connections[DEFAULT_DB_ALIAS] = connection
        try:
            super().process_request_thread(request, client_address)
        finally:
            if connection is None:  # a request between tests opened its own connection
                connections.close_all()

    def _close_connections(self) -> None:
        # The request thread holds the test's own connection: closing it would end the test.
        pass


class SharedConnectionServerThread(LiveServerThread):
    def __init__(self, gate: Gate) -> None:
        self.gate = gate
        # ``static_handler`` wraps the app (media files included): the gate goes inside it.
        super().__init__("localhost", lambda app: StaticFilesHandler(_OneRequestAtATime(app, gate)))  # type: ignore[arg-type]

    def _create_server(self, connections_override: Any = None) -> _SharedConnectionServer:
        server = _SharedConnectionServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)
        server.gate = self.gate
        return server


@contextmanager
def _atomic_blocks_wait_for_requests(gate: Gate) -> Iterator[None]:
    # Atomic.__enter__ pushes onto the connection's stack of blocks before its SAVEPOINT: a block
    # of the test thread is held whole, so that a request cannot push and pop in between.
    atomic = transaction.Atomic
    enter, exit_ = atomic.__enter__, atomic.__exit__

    def locked_enter(self: transaction.Atomic) -> None:
        gate.lock.acquire()
        try:
            enter(self)
        except BaseException:
            gate.lock.release()
            raise

    def locked_exit(self: transaction.Atomic, *exc_info: Any) -> None:
        try:
            exit_(self, *exc_info)
        finally:
            gate.lock.release()

    atomic.__enter__, atomic.__exit__ = locked_enter, locked_exit  # type: ignore[method-assign]
    try:
        yield
    finally:
        atomic.__enter__, atomic.__exit__ = enter, exit_  # type: ignore[method-assign]


@contextmanager
def serving(gate: Gate, connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Serve requests on ``connection`` (the test's, inside its transaction) until the end."""
    # Django's test client disconnects ``close_old_connections`` for its own requests; this
    # server keeps the connection open instead.
    connection.close_if_unusable_or_obsolete = lambda: None  # type: ignore[method-assign]
    connection.inc_thread_sharing()
    with ExitStack() as unwind:
        with gate.lock:
            gate.connection, gate.callbacks_from = connection, len(connection.run_on_commit)
            unwind.enter_context(connection.execute_wrapper(gate.one_query_at_a_time))
            unwind.enter_context(_atomic_blocks_wait_for_requests(gate))
        try:
            yield
        finally:
            with gate.lock:  # after the request in progress, if any
                gate.connection = None
                unwind.close()
            connection.dec_thread_sharing()
            del connection.close_if_unusable_or_obsolete
