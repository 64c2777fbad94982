"""Browser tests: Debian's Chromium driven by Playwright (sync API), axe-core for accessibility.

The app is served by one live server per xdist worker (:func:`site`), a real HTTP server in a
thread. Unlike pytest-django's ``live_server``, it answers on the test's own database connection:
a browser test is an ordinary ``db`` test, rolled back at its end, so the fixture world is built
once per module and shared (:mod:`tests.shared_rows`) instead of being built for each test and the
whole database flushed after it (those two steps cost more than the browsing itself).

Sharing one connection between the test thread and the server thread has three rules, kept here:

- one request at a time: the server serialises the requests it serves (a PostgreSQL transaction is
  one stack of savepoints, two threads cannot open and release them in turn);
- the connection stays open: Django closes a connection found inside a transaction at the start
  and end of each request (``close_old_connections``), which would end the test's transaction;
- the callbacks a request registers with ``transaction.on_commit`` run when it ends, as they would
  in production once its transaction commits (and those the test registers run before the next
  request), instead of never.

People are signed in by copying a session cookie made with ``Client.force_login`` into the browser
context, which keeps each test fast.
"""

from __future__ import annotations

import logging
import os
import re
import threading

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe (it is: the loop is Playwright's own).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from apps.accounts.models import User
from tests.security.world import World, build_whole_world
from tests.shared_rows import built_once, copy_media, fresh_copy

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
_OFF_SITE = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost)[:/])")
# Generous but bounded: the CI machine is small and shared.
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (Debian's chromium package).")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class _Gate:
    """What the shared server needs of the running test: its connection, and the index in
    ``connection.run_on_commit`` of the first callback the test registered. Both are None between
    tests (a request then gets no database, and the callbacks of the shared rows never run)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
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
                logging.getLogger("django.db.backends.base").exception("on_commit callback failed")


class _OneRequestAtATime:
    """WSGI middleware of the shared server: one request at a time, and the ``on_commit``
    callbacks registered since the test began run before and after each request."""

    def __init__(self, application: Any, gate: _Gate) -> None:
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
    gate: _Gate

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        connection = self.gate.connection
        if connection is not None:
            connections[DEFAULT_DB_ALIAS] = connection
        super().process_request_thread(request, client_address)

    def _close_connections(self) -> None:
        # The request thread holds the test's own connection: closing it would end the test.
        pass


class _SharedConnectionThread(LiveServerThread):
    def __init__(self, gate: _Gate) -> None:
        self.gate = gate
        # ``static_handler`` wraps the app (media files included): the gate goes inside it.
        super().__init__("localhost", lambda app: StaticFilesHandler(_OneRequestAtATime(app, gate)))  # type: ignore[arg-type]

    def _create_server(self, connections_override: Any = None) -> _SharedConnectionServer:
        server = _SharedConnectionServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)
        server.gate = self.gate
        return server


@dataclass(frozen=True)
class Site:
    url: str
    gate: _Gate


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    """One live server per worker, answering on the running test's database connection."""
    gate = _Gate()
    thread = _SharedConnectionThread(gate)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield Site(url=f"http://localhost:{thread.port}", gate=gate)
    finally:
        thread.terminate()


@contextmanager
def _shared_with(gate: _Gate, connection: BaseDatabaseWrapper) -> Iterator[None]:
    # ``close_old_connections`` (request_started/finished) closes a connection whose autocommit
    # is off, as it is inside the test's transaction; Django's test client disconnects it for
    # its own requests, this server keeps the connection open instead.
    connection.close_if_unusable_or_obsolete = lambda: None  # type: ignore[method-assign]
    connection.inc_thread_sharing()
    with gate.lock:
        gate.connection, gate.callbacks_from = connection, len(connection.run_on_commit)
    try:
        yield
    finally:
        with gate.lock:
            gate.connection = None
        connection.dec_thread_sharing()
        del connection.close_if_unusable_or_obsolete


@pytest.fixture(autouse=True)
def _served_on_the_test_connection(request: pytest.FixtureRequest, db: None, site: Site) -> Iterator[None]:
    marker = request.node.get_closest_marker("django_db")
    if (marker is not None and marker.kwargs.get("transaction", False)) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames):
        pytest.fail("Browser tests run on the `site` server inside the test's transaction: no `live_server`.")
    with _shared_with(site.gate, connections[DEFAULT_DB_ALIAS]):
        yield


@dataclass(frozen=True)
class SharedWorld:
    world: World
    media: Path


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[SharedWorld]:  # type: ignore[no-untyped-def]
    media = tmp_path_factory.mktemp("browser-world-media")
    with built_once(django_db_blocker, build_whole_world, media=media) as world:
        yield SharedWorld(world=world, media=media)


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    if "_shared_world" in request.fixturenames:
        copy_media(request.getfixturevalue("_shared_world").media, tmp_path / "media")


@pytest.fixture
def world(_shared_world: SharedWorld, db: None) -> World:
    """The whole fixture world, built once per module, each test rolled back on top of it."""
    return fresh_copy(_shared_world.world)


@pytest.fixture
def new_context(browser: Browser, site: Site) -> Iterator[Callable[..., BrowserContext]]:
    """Opens a browser context, optionally signed in as ``user``; closed after the test."""
    contexts: list[BrowserContext] = []

    def make(user: User | None = None, **options: Any) -> BrowserContext:
        options.setdefault("locale", "fr-FR")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=site.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        # No request leaves the machine (map tiles, fonts): the pages must work without them.
        context.route(_OFF_SITE, lambda route: route.abort())
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_for(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    def make(user: User | None = None, **options: Any) -> Page:
        return new_context(user, **options).new_page()

    return make
