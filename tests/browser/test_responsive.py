"""Phone first, checked on every public page: at 375 px (a phone) and 1,280 px (a laptop) no
page scrolls sideways. The pages are every public screen of the axe run (anonymous, HTML, 200)
plus the journeys' public pages (budgets, results, workshops), one load per page and width."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.helpers import focused, no_horizontal_scroll
from tests.browser.screens import Screen, all_screens
from tests.security.world import World

WIDTHS = [pytest.param(375, id="phone-375"), pytest.param(1280, id="desktop-1280")]


def _plain_public(screen: Screen) -> bool:
    # The page as it loads (an action may submit forms or change the world).
    action = getattr(screen.action, "__name__", None)
    return screen.persona == "anonymous" and screen.status == 200 and action in (None, "open_details")


def public_urls(world: World) -> list[str]:
    urls = [screen.url(world) for screen in all_screens() if _plain_public(screen)]
    budgets: Any = world.extra["budgets"]
    vote: Any = world.extra["budgets_voting"]
    workshop: Any = world.extra["workshops"].ws
    urls += [
        reverse("budgets:detail", kwargs={"slug": budgets.process.slug}),
        reverse("budgets:envelopes", kwargs={"slug": budgets.process.slug}),
        reverse("budgets:projects", kwargs={"slug": budgets.process.slug}),
        reverse("budgets:project", kwargs={"pk": budgets.project.pk}),
        reverse("budgets:vote", kwargs={"slug": vote.budget.process.slug}),
        reverse("budgets:results", kwargs={"slug": vote.published_budget.process.slug}),
        reverse("workshops:list"),
        reverse("workshops:detail", kwargs={"slug": workshop.slug}),
    ]
    return list(dict.fromkeys(urls))


@pytest.mark.parametrize("width", WIDTHS)
def test_no_public_page_scrolls_sideways(world: World, page_for: Callable[..., Page], width: int) -> None:
    page: Page = page_for(None, viewport={"width": width, "height": 800})
    too_wide, checked = [], 0
    for target in public_urls(world):
        response = page.goto(target)
        assert response is not None
        if response.status != 200:  # a page that needs a state the world lacks is the axe run's
            continue
        checked += 1
        scroll_width, client_width = no_horizontal_scroll(page)
        if scroll_width > client_width:
            too_wide.append(f"{target}: {scroll_width}px in {client_width}px")
    assert not too_wide, "\n".join(too_wide)
    assert checked >= 40, checked


def test_the_phone_menu_opens_with_enter_or_space_and_closes_with_escape(
    world: World, page_for: Callable[..., Page]
) -> None:
    page: Page = page_for(None, viewport={"width": 375, "height": 812})
    page.goto(reverse("pages:home"))
    summary = page.locator("summary.menu-button")
    processes = page.locator(".main-nav a", has_text="Démarches")
    for key in ("Enter", "Space"):
        summary.focus()
        page.keyboard.press(key)
        assert processes.is_visible(), key
        page.keyboard.press("Tab")  # into the menu: Escape works from any of its links
        page.keyboard.press("Escape")
        assert not processes.is_visible(), key
        assert focused(page)["tag"] == "summary", "the focus goes back to the menu button"
