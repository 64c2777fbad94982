"""The screens of the axe run: one shape for every page template checked in a real browser.

A :class:`Screen` is a page as one persona sees it (a URL built from the fixture world of
:mod:`tests.security.world`), optionally after an action (a form submitted with errors). The
screens are found by convention from the registered manifests (:mod:`tests.discovery`): for a
manifest named ``X``, ``tests.browser.screens.X`` if it exists, otherwise
``<X's app package>.axe_screens``. Each such module defines ``SCREENS`` and may define
``COVERED_ELSEWHERE`` (URL name → the test that scans it instead and why, for pages only
reachable through a journey, or that are not HTML).

``tests/security/test_axe_screen_coverage.py`` (no browser needed) fails when a URL that renders
an HTML page has neither a screen nor a reason, like the URL matrix's guard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from tests.discovery import discover_parts

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.security.world import World

Action = Callable[["Page", "World"], None]
UrlBuilder = Callable[["World"], str]


@dataclass(frozen=True)
class Screen:
    name: str
    url: UrlBuilder
    persona: str = "anonymous"
    # Run after the page has loaded, before the scan (a form submitted with errors, a rate limit).
    action: Action | None = None
    status: int = 200
    # The URL name the screen covers; read from ``url()`` builders, given for other builders.
    route: str | None = None

    @property
    def url_name(self) -> str | None:
        return self.route or getattr(self.url, "url_name", None)


def _lookup(world: Any, path: str) -> Any:
    value = world
    for part in path.split("."):
        value = value[part] if isinstance(value, Mapping) else getattr(value, part)
    return value


def url(name: str, query: str = "", **attrs: str) -> UrlBuilder:
    """``reverse(name)`` with kwargs read from the world by dotted path: ``pk="proposal.pk"``,
    ``slug="extra.councils.council.slug"``. The builder remembers ``name`` for the guard."""

    def build(world: World) -> str:
        return reverse(name, kwargs={key: _lookup(world, path) for key, path in attrs.items()}) + query

    build.url_name = name  # type: ignore[attr-defined]
    return build


def errors(
    fill: dict[str, str] | None = None,
    form: str = "#contenu form[method=post i]",
    shown: str = ".form-error-summary, .field-error, .errorlist",
    before: Action | None = None,
) -> Action:
    """Submit the page's form with server-side errors and check that they are shown."""

    def action(page: Page, world: World) -> None:
        from tests.browser.helpers import submit_with_errors

        if before is not None:
            before(page, world)
        submit_with_errors(page, fill, form=form)
        assert page.locator(shown).count() > 0, "no error shown"

    return action


def scanned_then(action: Action) -> Action:
    """Scan the page as it loaded, then run ``action``: the screen's own scan sees the result (a
    page and its error state in one screen)."""

    def run(page: Page, world: World) -> None:
        from tests.browser.helpers import assert_no_axe_violations

        assert_no_axe_violations(page, f"{page.url} (before the action)")
        action(page, world)

    return run


PHONE_WIDTH, PHONE_HEIGHT = 375, 812


def at_phone_width(page: Page, world: World) -> None:
    """Narrow the window to a phone's (375 px): tables wider than the screen scroll in their
    ``.table-wrap``, and axe only sees a scroll region that cannot take the focus at this width."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
    # Wait until the layout has reflowed to the new width before the scan measures it.
    page.wait_for_function("width => document.documentElement.clientWidth <= width", arg=PHONE_WIDTH)


def at_phone(screen: Screen) -> Screen:
    """The same screen scanned at phone width (its own action, if any, runs after the resize)."""

    def action(page: Page, world: World) -> None:
        at_phone_width(page, world)
        if screen.action is not None:
            screen.action(page, world)

    return replace(screen, name=f"{screen.name}-phone", action=action, route=screen.url_name)


@cache
def parts() -> dict[str, ModuleType]:
    found = discover_parts(__name__, "axe_screens")
    for name, module in found.items():
        if not hasattr(module, "SCREENS"):
            raise AttributeError(f"the axe screens of {name!r} ({module.__name__}) lack SCREENS")
    return found


def all_screens() -> list[Screen]:
    screens = [screen for module in parts().values() for screen in module.SCREENS]
    names = [screen.name for screen in screens]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"two axe screens share a name: {duplicates}")
    return screens


def covered_elsewhere() -> dict[str, str]:
    return {
        name: reason for module in parts().values() for name, reason in getattr(module, "COVERED_ELSEWHERE", {}).items()
    }
