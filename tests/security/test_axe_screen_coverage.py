"""Every URL that renders an HTML page has an axe screen, or a reason it is scanned elsewhere.

The browser run (``tests/browser/test_axe.py``) scans the screens of :mod:`tests.browser.screens`;
this guard needs no browser. Which URLs render HTML is asked of the application itself: each
route of the permission matrix is requested (with the test client, on the shared fixture world)
as a persona who may see it, and a 200 ``text/html`` answer makes it a page that needs a screen.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse

from apps.accounts.models import User
from tests.browser.screens import Screen, all_screens, covered_elsewhere, parts
from tests.browser.screens.backoffice_world import SCREENS as BACKOFFICE_WORLD_SCREENS
from tests.security.matrix_base import PERSONAS
from tests.security.test_url_matrix import existing_names
from tests.security.url_matrix import ROUTES
from tests.security.world import World

PSEUDO_ROUTES = {"(404)"}


def _screens() -> list[Screen]:
    return all_screens() + list(BACKOFFICE_WORLD_SCREENS)


def html_pages(world: World, client_for: Callable[[User | None], Client], names: set[str]) -> set[str]:
    """Those of ``names`` whose GET answers an HTML page to at least one persona allowed to see it."""
    pages: set[str] = set()
    for route in ROUTES:
        if route.get is None or route.name in pages or route.name not in names:
            continue
        persona = next((p for p in PERSONAS if route.get[p] == "ok"), None)
        if persona is None:
            continue
        cache.clear()  # no rate limit answers in place of the page
        response = client_for(world.user(persona)).get(reverse(route.name, kwargs=route.kwargs(world)) + route.query)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.add(route.name)
    return pages


def test_every_html_page_has_an_axe_screen(world: World, client_for: Callable[[User | None], Client]) -> None:
    covered = {screen.url_name for screen in _screens()} | set(covered_elsewhere())
    # Only the routes without a screen need asking (a covered route is fine whatever it answers).
    missing = sorted(html_pages(world, client_for, {route.name for route in ROUTES} - covered))
    assert not missing, (
        "HTML pages without an axe screen: add a Screen to tests/browser/screens/<module>.py (or the "
        f"module's axe_screens.py), or say in its COVERED_ELSEWHERE which test scans it: {missing}"
    )


def test_the_guard_sees_html_pages(world: World, client_for: Callable[[User | None], Client]) -> None:
    # Guards the guard: a detection that finds nothing would make the test above vacuous.
    html = {"pages:home", "proposals:detail", "backoffice:dashboard"}
    assert html_pages(world, client_for, html | {"pages:media", "opendata:export"}) == html


def test_every_screen_names_an_existing_route() -> None:
    names = existing_names()
    unnamed = [screen.name for screen in _screens() if screen.url_name is None]
    assert not unnamed, f"screens whose URL name is unknown (build them with url() or give route=): {unnamed}"
    stale = sorted(
        {screen.url_name for screen in _screens() if screen.url_name and screen.url_name not in PSEUDO_ROUTES} - names
    )
    assert not stale, f"screens of URL names that do not exist: {stale}"
    stale_reasons = sorted(set(covered_elsewhere()) - names)
    assert not stale_reasons, f"COVERED_ELSEWHERE lists URL names that do not exist: {stale_reasons}"


def test_each_screen_url_is_its_route(world: World) -> None:
    wrong = []
    for screen in all_screens():
        if screen.url_name in PSEUDO_ROUTES:
            continue
        path = urlsplit(screen.url(world)).path
        if resolve(path).view_name != screen.url_name:
            wrong.append((screen.name, path, screen.url_name))
    assert not wrong, f"screens whose URL is not the route they declare: {wrong}"


def test_screens_are_found_through_the_manifests() -> None:
    assert {"core", "proposals", "councils", "sortition"} <= set(parts())
