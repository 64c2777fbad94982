"""Browser tests: Debian's Chromium driven by Playwright (sync API), axe-core for accessibility.

The app is served by one live server per xdist worker (:func:`site`), a real HTTP server in a
thread that answers on the test's own database connection (:mod:`tests.browser.shared_server`): a
browser test is an ordinary ``db`` test, rolled back at its end, and the fixture world is built once
per module. People are signed in by copying a session cookie made with ``Client.force_login`` into
the browser context, which keeps each test fast.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe (it is: the loop is Playwright's own).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django import Settings

from apps.accounts.models import User
from tests.browser.shared_server import Gate, SharedConnectionServerThread, serving
from tests.media_root import ReusedMedia
from tests.security.world import SharedWorld, World, shared_world_fixture
from tests.shared_rows import fresh_copy

CHROMIUM = "/usr/bin/chromium"
# Launch flags (docs/TESTING.md, "Chromium"). None changes what a test sees: layout, axe results
# and the screenshots of test_visual_regression.py are the same (software raster either way).
CHROMIUM_ARGS = [
    "--no-sandbox",
    # Software rendering only: the machine has no GPU and the pages use no WebGL (Leaflet draws
    # with the DOM and SVG). In-process: the compositor runs as a thread of the browser process
    # instead of a separate GPU process (about 5 % of Chromium's CPU in the axe scans).
    "--disable-gpu",
    "--in-process-gpu",
    "--disable-software-rasterizer",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # Every page comes from the one local origin: no cross-site frame to isolate, fewer renderer
    # processes (about 80 for 21 axe scans down to 60).
    "--disable-site-isolation-trials",
]
# Playwright's SwiftShader WebGL fallback: no page uses WebGL.
CHROMIUM_IGNORED_DEFAULTS = ["--enable-unsafe-swiftshader"]
# No request leaves the machine (map tiles, fonts): the pages must work without them. Every host but
# the live server's resolves to nothing. A Playwright route that aborted off-site requests did the same
# but intercepted every request of every page, and Playwright turns the HTTP cache off while a route is
# set: each page fetched and compiled the site's CSS and scripts again (docs/TESTING.md).
OFF_SITE_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"
# Generous but bounded: the CI machine is small and shared.
TIMEOUT_MS = 15_000
DEFAULT_VIEWPORT = {"width": 1280, "height": 900}


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
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, OFF_SITE_RULES],
        ignore_default_args=CHROMIUM_IGNORED_DEFAULTS,
    )
    yield browser
    browser.close()


@dataclass(frozen=True)
class Site:
    url: str
    gate: Gate


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    """One live server per worker, answering on the running test's database connection."""
    gate = Gate()
    thread = SharedConnectionServerThread(gate)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield Site(url=f"http://localhost:{thread.port}", gate=gate)
    finally:
        thread.terminate()


@pytest.fixture(autouse=True)
def _served_on_the_test_connection(request: pytest.FixtureRequest, db: None, site: Site) -> Iterator[None]:
    marker = request.node.get_closest_marker("django_db")
    if (marker is not None and marker.kwargs.get("transaction", False)) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames):
        pytest.fail("Browser tests run on the `site` server inside the test's transaction: no `live_server`.")
    with serving(site.gate, connections[DEFAULT_DB_ALIAS]):
        yield


_shared_world = shared_world_fixture("browser-world-media")


@pytest.fixture(scope="session")
def _reused_media(tmp_path_factory: pytest.TempPathFactory) -> ReusedMedia:
    return ReusedMedia(tmp_path_factory.mktemp("browser-media") / "media")


@pytest.fixture(autouse=True)
def _media_root(request: pytest.FixtureRequest, settings: Settings, _reused_media: ReusedMedia) -> None:
    # Each test starts with the world's files (or none), refilled when a test changed them.
    uses_world = "_shared_world" in request.fixturenames
    source: Path | None = request.getfixturevalue("_shared_world").media if uses_world else None
    settings.MEDIA_ROOT = str(_reused_media.ready(source))


@pytest.fixture
def world(_shared_world: SharedWorld, db: None) -> World:
    """The whole fixture world, built once per module, each test rolled back on top of it."""
    return fresh_copy(_shared_world.world)


def _open_context(browser: Browser, site: Site, **options: Any) -> BrowserContext:
    options.setdefault("locale", "fr-FR")
    options.setdefault("viewport", DEFAULT_VIEWPORT)
    context = browser.new_context(base_url=site.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _sign_in(context: BrowserContext, site: Site, user: User | None) -> None:
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])


@pytest.fixture
def new_context(browser: Browser, site: Site) -> Iterator[Callable[..., BrowserContext]]:
    """Opens a browser context of its own, optionally signed in as ``user``; closed after the test."""
    contexts: list[BrowserContext] = []

    def make(user: User | None = None, **options: Any) -> BrowserContext:
        context = _open_context(browser, site, **options)
        _sign_in(context, site, user)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


class ReusedPage:
    """One tab per worker and set of context options (locale, viewport, JavaScript), reused by the
    tests' first page.

    A new browser context per test started a new renderer process for each, and axe-core's 570 kB
    were compiled again in each: about 40 % of the browser tests' CPU (docs/TESTING.md, "Browser
    tests"). What a test could leave behind is reset before the next one: cookies (the session
    and language), the tab's size, the origin's localStorage and sessionStorage (htmx's history cache), and the
    document itself (the tab goes to ``about:blank`` after each test, which also stops any request
    of the old page before the test's transaction is rolled back). A test that adds listeners or
    init scripts to its page asks for ``new_context`` instead."""

    def __init__(self, browser: Browser, site: Site, options: dict[str, Any]) -> None:
        self.site = site
        self.viewport = options.get("viewport", DEFAULT_VIEWPORT)
        self.context = _open_context(browser, site, **options)
        self.page = self.context.new_page()

    def take(self, user: User | None) -> Page:
        if self.page.is_closed():
            self.page = self.context.new_page()
        if self.page.viewport_size != self.viewport:
            # A screen's action may have resized the tab (the phone menu).
            self.page.set_viewport_size(self.viewport)
        self.context.clear_cookies()
        _sign_in(self.context, self.site, user)
        return self.page

    def give_back(self) -> None:
        page = self.page
        if not page.is_closed():
            if page.url.startswith(self.site.url):
                page.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
            page.goto("about:blank")
        for other in self.context.pages:
            if other is not page:
                other.close()


class ReusedPages:
    """The worker's reused tabs, one per set of context options, opened when first asked for."""

    def __init__(self, browser: Browser, site: Site) -> None:
        self.browser = browser
        self.site = site
        self.tabs: dict[str, ReusedPage] = {}

    def for_options(self, options: dict[str, Any]) -> ReusedPage:
        key = repr(sorted(options.items()))
        if key not in self.tabs:
            self.tabs[key] = ReusedPage(self.browser, self.site, dict(options))
        return self.tabs[key]

    def close(self) -> None:
        for tab in self.tabs.values():
            tab.context.close()


@pytest.fixture(scope="session")
def _reused_pages(browser: Browser, site: Site) -> Iterator[ReusedPages]:
    reused = ReusedPages(browser, site)
    yield reused
    reused.close()


@pytest.fixture
def page_for(new_context: Callable[..., BrowserContext], _reused_pages: ReusedPages) -> Iterator[Callable[..., Page]]:
    """A page signed in as ``user`` (or anonymous), with the given context options. The test's
    first page is the worker's reused tab for those options; a second one gets a context of its own."""
    taken: list[ReusedPage] = []

    def make(user: User | None = None, **options: Any) -> Page:
        if taken:
            return new_context(user, **options).new_page()
        tab = _reused_pages.for_options(options)
        taken.append(tab)
        return tab.take(user)

    yield make
    for tab in taken:
        tab.give_back()
