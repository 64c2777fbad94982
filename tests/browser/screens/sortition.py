"""Axe screens of the sortition module (the form error states are scanned in
``tests/browser/test_sortition.py``, where each needs its own setup)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.screens import Screen, UrlBuilder, at_phone, url

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.security.world import World


def open_details(page: Page, world: World) -> None:
    """Open every disclosure so that the scan sees what it hides."""
    page.locator("details").evaluate_all("nodes => nodes.forEach(n => n.open = true)")


def _screen(name: str, persona: str, builder: UrlBuilder) -> Screen:
    return Screen(f"sortition-{name}", builder, persona, action=open_details)


SCREENS: list[Screen] = [
    _screen("public-list", "anonymous", url("sortition:list")),
    _screen("public-detail", "anonymous", url("sortition:detail", slug="extra.sortition.published.slug")),
    _screen("public-preview", "agent", url("sortition:detail", slug="extra.sortition.loaded.slug")),
    _screen("public-announced", "anonymous", url("sortition:detail", slug="extra.sortition.ready.slug")),
    _screen("volunteer", "resident", url("sortition:volunteer", slug="extra.sortition.call.slug")),
    _screen("admin-list", "agent", url("sortition_admin:list")),
    _screen("admin-create", "agent", url("sortition_admin:create")),
    _screen("admin-draw-loaded", "agent", url("sortition_admin:draw", pk="extra.sortition.loaded.pk")),
    _screen("admin-draw-drawn", "agent", url("sortition_admin:draw", pk="extra.sortition.published.pk")),
    _screen("admin-draw-elu", "elu", url("sortition_admin:draw", pk="extra.sortition.published.pk")),
    _screen("admin-draw-call", "agent", url("sortition_admin:draw", pk="extra.sortition.call.pk")),
    _screen("admin-pool", "agent", url("sortition_admin:pool", pk="extra.sortition.draft.pk")),
    _screen("admin-final", "agent", url("sortition_admin:final", pk="extra.sortition.ready.pk")),
]
# The quota and probability tables at a phone's width, where they scroll.
SCREENS += [
    at_phone(screen) for screen in SCREENS if screen.name in {"sortition-public-detail", "sortition-admin-draw-drawn"}
]
