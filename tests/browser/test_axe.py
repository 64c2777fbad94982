"""Zero axe-core violations on every page template, including the error states of forms.

The screens come from every module's screens file (:mod:`tests.browser.screens`), found through its
manifest; ``tests/security/test_axe_screen_coverage.py`` checks that no HTML page is left out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.helpers import assert_no_axe_violations
from tests.browser.screens import Screen, all_screens
from tests.security.world import World

SCREENS = all_screens()


@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_no_axe_violation(screen: Screen, world: World, page_for: Callable[..., Page]) -> None:
    page: Page = page_for(world.user(screen.persona))
    target = screen.url(world)
    response = page.goto(target)
    assert response is not None
    assert response.status == screen.status, f"GET {target} as {screen.persona}: {response.status}"
    if screen.action is not None:
        screen.action(page, world)
    assert_no_axe_violations(page, f"{screen.name} ({page.url})")


def test_the_scan_finds_violations_when_there_are_some(world: World, page_for: Callable[..., Page]) -> None:
    # Guards the harness: a scan that cannot fail would make every test above vacuous.
    from tests.browser.helpers import axe_violations

    page: Page = page_for(None)
    page.goto(reverse("pages:home"))
    page.evaluate(
        """() => {
            const main = document.getElementById('contenu');
            main.insertAdjacentHTML('beforeend',
              '<img src="/static/x.png"><p id="peu-lisible">peu lisible</p>' +
              '<input type="text" id="sans-etiquette">');
            // Through the CSSOM: the CSP refuses inline style attributes.
            const faint = document.getElementById('peu-lisible');
            faint.style.color = '#bbb';
            faint.style.background = '#fff';
        }"""
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "color-contrast", "label"} <= found, found
