"""Petitions in a real browser: signing with the keyboard alone and without JavaScript, and the
rules of the game page (city-wide administrators only) scanned by axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page

from apps.core.models import Role
from apps.petitions.models import Signature
from tests.browser.helpers import assert_no_axe_violations, focused, submit_with_errors, tab_to
from tests.browser.screens import at_phone_width
from tests.factories import RoleFactory, UserFactory
from tests.security.world import World

pytestmark = [pytest.mark.browser]


def _p(world: World) -> Any:
    return world.extra["petitions"]


def test_sign_with_the_keyboard_alone_then_without_javascript(
    world: World, page_for: Callable[..., Page], new_context: Callable[..., BrowserContext]
) -> None:
    petition = _p(world).open
    page = page_for(world.user("resident"), viewport={"width": 375, "height": 800})
    page.goto(petition.get_absolute_url())
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Signer cette pétition")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    # The identity form, filled with the keyboard alone: each field is reached by Tab.
    typed = {
        "family_name": "Clavier",
        "first_name": "Inès",
        "birth_date": "08/04/1979",
        "address": "4 rue des Touches",
        "postal_code": "44000",
    }
    for name, value in typed.items():
        tab_to(page, lambda f, name=name: f.get("name") == name)
        page.keyboard.type(value)
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Je signe")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Votre signature est enregistrée" in page.content()
    assert focused(page)  # the page came back and is usable
    assert Signature.objects.filter(petition=petition, user=world.user("resident")).count() == 1

    reached = _p(world).reached
    nojs = new_context(world.user("agent"), java_script_enabled=False).new_page()
    nojs.goto(reverse("petitions:sign", kwargs={"pk": reached.pk}))
    # A wrong postcode first: the form comes back with the error and everything typed.
    nojs.fill("#id_family_name", "Sansscript")
    nojs.fill("#id_first_name", "Paul")
    nojs.fill("#id_birth_date", "02/01/1990")
    nojs.fill("#id_address", "1 place Royale")
    nojs.fill("#id_postal_code", "440")
    with nojs.expect_navigation():
        nojs.get_by_role("button", name="Je signe").click()
    assert "cinq chiffres" in nojs.content()
    assert nojs.input_value("#id_family_name") == "Sansscript"
    nojs.fill("#id_postal_code", "44000")
    with nojs.expect_navigation():
        nojs.get_by_role("button", name="Je signe").click()
    nojs.wait_for_load_state()
    assert nojs.url.endswith(reached.get_absolute_url())
    assert "Votre signature est enregistrée" in nojs.content()
    assert Signature.objects.filter(petition=reached, user=world.user("agent")).count() == 1


def test_rules_of_the_game_page_is_accessible_with_its_errors(world: World, page_for: Callable[..., Page]) -> None:
    admin = UserFactory.create(display_name="Admin ville")
    RoleFactory.create(user=admin, role=Role.ADMIN)
    page = page_for(admin)
    page.goto(reverse("petitions_admin:rules"))
    assert_no_axe_violations(page, "rules")
    submit_with_errors(page, {"#id_threshold": "0"})
    assert page.locator(".form-error-summary").count() == 1
    assert_no_axe_violations(page, "rules with errors")
    # Its table is wider than a phone: the scroll region must take the keyboard focus.
    at_phone_width(page, world)
    assert_no_axe_violations(page, "rules at phone width")
