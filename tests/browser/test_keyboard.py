"""Keyboard-only and no-JavaScript paths, the skip link, the 320 px layout and the phone header
(375 px: a compact header whose menu opens with the keyboard, with and without JavaScript; on a
wide screen the whole menu shows without its button).

The flows press keys only (Tab, Shift+Tab, Enter, Space): no ``click``. Each runs twice,
with JavaScript on and off, because contributing, supporting and commenting must work
without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from apps.discussion.selectors import comments_of
from apps.proposals.models import Proposal, Support
from tests.browser.helpers import focused, no_horizontal_scroll, tab_to
from tests.security.world import World

JS_MODES = [pytest.param(True, id="js"), pytest.param(False, id="nojs")]


def in_form(action_part: str) -> str:
    return f"#contenu form[action*='{action_part}']"


def focus_inside(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            "s => { const f = document.querySelector(s); return !!f && f.contains(document.activeElement); }", selector
        )
    )


def is_field(name: str) -> Any:
    return lambda current: current.get("name") == name


def is_submit(current: dict[str, Any]) -> bool:
    return current.get("tag") == "button" and current.get("type") in ("submit", "")


@pytest.mark.parametrize("javascript", JS_MODES)
def test_resident_creates_a_proposal_with_the_keyboard(
    world: World, page_for: Callable[..., Page], javascript: bool
) -> None:
    page: Page = page_for(world.user("resident"), java_script_enabled=javascript)
    page.goto(reverse("proposals:create", kwargs={"process_slug": world.process.slug}))
    form = "#contenu form[method=post i]"

    tab_to(page, is_field("title"))
    page.keyboard.type("Une fontaine à eau place du marché")
    tab_to(page, is_field("body"))
    page.keyboard.type("Une fontaine d'eau potable pour les jours de grande chaleur, près des bancs.")
    # Shift+Tab goes back to the title: the order of the fields is the reading order.
    tab_to(page, is_field("title"), backwards=True)
    tab_to(page, is_field("body"))
    tab_to(page, lambda current: is_submit(current) and focus_inside(page, form))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    created = Proposal.objects.get(title="Une fontaine à eau place du marché")
    assert created.author == world.user("resident")
    assert page.url.endswith(created.get_absolute_url()), page.url


@pytest.mark.parametrize("javascript", JS_MODES)
def test_resident_comments_with_the_keyboard(world: World, page_for: Callable[..., Page], javascript: bool) -> None:
    page: Page = page_for(world.user("other_resident"), java_script_enabled=javascript)
    page.goto(world.proposal.get_absolute_url())
    form = in_form(reverse("proposals:comment", kwargs={"pk": world.proposal.pk}))
    assert page.locator(form).count() >= 1, "no comment form on the proposal page"

    tab_to(page, lambda current: current.get("tag") == "textarea" and focus_inside(page, form))
    page.keyboard.type("Et des jeux d'eau pour les enfants ?")
    tab_to(page, lambda current: is_submit(current) and focus_inside(page, form))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert (
        comments_of(world.proposal)
        .filter(author=world.user("other_resident"), body="Et des jeux d'eau pour les enfants ?")
        .exists()
    )


@pytest.mark.parametrize("javascript", JS_MODES)
def test_resident_supports_with_the_keyboard(world: World, page_for: Callable[..., Page], javascript: bool) -> None:
    supporter = world.user("other_resident")
    page: Page = page_for(supporter, java_script_enabled=javascript)
    page.goto(world.proposal.get_absolute_url())
    form = in_form(reverse("proposals:support", kwargs={"pk": world.proposal.pk}))
    assert page.locator(form).count() >= 1, "no support button on the proposal page"

    tab_to(page, lambda current: is_submit(current) and focus_inside(page, form))
    # Space activates a focused button, like Enter. With JavaScript htmx may swap the box
    # in place instead of loading a new page, so wait for the result, not for a navigation.
    if javascript:
        page.keyboard.press("Space")
    else:
        with page.expect_navigation():
            page.keyboard.press("Space")

    _wait_for(lambda: Support.objects.filter(proposal=world.proposal, user=supporter).exists())
    world.proposal.refresh_from_db()
    assert world.proposal.support_count == 1
    # The page now offers to take the support back (the state is shown, not only counted).
    unsupport = in_form(reverse("proposals:unsupport", kwargs={"pk": world.proposal.pk}))
    page.wait_for_selector(unsupport, state="attached")


def _wait_for(condition: Any, seconds: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_skip_link_is_first_and_moves_focus_to_content(world: World, page_for: Callable[..., Page]) -> None:
    page: Page = page_for(None)
    page.goto(reverse("pages:home"))
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "a" and first["href"] == "#contenu", first
    assert page.evaluate(
        "() => { const r = document.activeElement.getBoundingClientRect(); return r.left >= 0 && r.width > 0; }"
    ), "the skip link stays off-screen when focused"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contenu"
    # The next Tab continues from the content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('contenu').contains(document.activeElement)")


def test_focus_is_visible(world: World, page_for: Callable[..., Page]) -> None:
    page: Page = page_for(None)
    page.goto(reverse("pages:home"))
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline


@pytest.mark.parametrize("screen", ["home", "process", "proposal", "proposal-list", "signup"])
def test_no_horizontal_scroll_at_320px(screen: str, world: World, page_for: Callable[..., Page]) -> None:
    targets = {
        "home": reverse("pages:home"),
        "process": world.process.get_absolute_url(),
        "proposal": world.proposal.get_absolute_url(),
        "proposal-list": reverse("proposals:list", kwargs={"process_slug": world.process.slug}),
        "signup": reverse("accounts:signup"),
    }
    page: Page = page_for(world.user("resident"), viewport={"width": 320, "height": 640})
    page.goto(targets[screen])
    scroll_width, client_width = no_horizontal_scroll(page)
    assert scroll_width <= 320, f"{screen}: content is {scroll_width}px wide in a {client_width}px viewport"


# ---- phone first: the header's menu ----------------------------------------------------------------

PHONE = {"width": 375, "height": 812}


@pytest.mark.parametrize("javascript", [pytest.param(True, id="js"), pytest.param(False, id="nojs")])
def test_the_phone_menu_opens_with_the_keyboard(world: World, page_for: Callable[..., Page], javascript: bool) -> None:
    page: Page = page_for(world.user("resident"), viewport=PHONE, java_script_enabled=javascript)
    page.goto(reverse("pages:home"))
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 80, header
    processes = page.locator(".main-nav a", has_text="Démarches")
    assert not processes.is_visible()
    tab_to(page, lambda current: current.get("tag") == "summary")
    page.keyboard.press("Enter")
    assert processes.is_visible()
    # The next Tab goes into the open menu, in reading order.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Démarches"
    tab_to(page, lambda current: current.get("tag") == "summary", backwards=True)
    page.keyboard.press("Space")
    assert not processes.is_visible()


def test_on_a_wide_screen_the_menu_is_shown_without_its_button(world: World, page_for: Callable[..., Page]) -> None:
    page: Page = page_for(None)
    page.goto(reverse("pages:home"))
    assert page.locator(".main-nav a", has_text="Démarches").is_visible()
    assert not page.locator("summary.menu-button").is_visible()


@pytest.mark.parametrize("target", ["home", "styleguide", "process"])
def test_no_horizontal_scroll_at_375px(world: World, page_for: Callable[..., Page], target: str) -> None:
    urls = {
        "home": reverse("pages:home"),
        "styleguide": reverse("backoffice:styleguide"),
        "process": world.process.get_absolute_url(),
    }
    page: Page = page_for(world.user("agent"), viewport=PHONE)
    page.goto(urls[target])
    page.locator("summary.menu-button").click()
    scroll_width, _ = no_horizontal_scroll(page)
    assert scroll_width <= PHONE["width"], f"{target}: {scroll_width}px wide"
