"""Browser tests: Debian's Chromium driven by Playwright (sync API), axe-core for accessibility.

The app is served by pytest-django's ``live_server`` (a real HTTP server in a thread,
on the test database). People are signed in by copying a session cookie made with
``Client.force_login`` into the browser context, which keeps each test fast.
"""

from __future__ import annotations

import os
import re

from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from apps.core.models import Territory
from tests.conftest import Personas

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe (it is: the loop is Playwright's own).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from apps.accounts.models import User
from tests.security.world import World, build_world

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


@pytest.fixture(autouse=True)
def _media_root(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(personas: Personas, quartier: Territory, other_quartier: Territory, live_server: LiveServer) -> World:
    # ``live_server`` first: it switches the test to a transactional database, so the
    # server thread sees what the test writes.
    return build_world(personas, quartier, other_quartier)


@pytest.fixture
def new_context(browser: Browser, live_server: LiveServer) -> Iterator[Callable[..., BrowserContext]]:
    """Opens a browser context, optionally signed in as ``user``; closed after the test."""
    contexts: list[BrowserContext] = []

    def make(user: User | None = None, **options: Any) -> BrowserContext:
        options.setdefault("locale", "fr-FR")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        # No request leaves the machine (map tiles, fonts): the pages must work without them.
        context.route(_OFF_SITE, lambda route: route.abort())
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
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
