"""Registering for a rendez-vous with the keyboard only (Tab, Space, Enter: no click), with
JavaScript on and off: the registration and its access needs must work for everyone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from apps.agenda.models import Registration
from tests.browser.helpers import tab_to
from tests.browser.test_keyboard import JS_MODES, focus_inside, is_field, is_submit
from tests.security.world import World


@pytest.mark.parametrize("javascript", JS_MODES)
def test_resident_registers_with_the_keyboard(world: World, page_for: Callable[..., Page], javascript: bool) -> None:
    event = world.extra["agenda"].upcoming
    person = world.user("other_resident")
    page: Page = page_for(person, java_script_enabled=javascript)
    page.goto(event.get_absolute_url())
    form = f"#contenu form[action='{reverse('agenda:register', kwargs={'pk': event.pk})}']"

    tab_to(page, is_field("sign_language"))
    page.keyboard.press("Space")
    tab_to(page, is_field("interpretation"))
    page.keyboard.type("tamoul")
    tab_to(page, lambda current: is_submit(current) and focus_inside(page, form))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    registration = Registration.objects.get(event=event, user=person)
    assert (registration.status, registration.sign_language, registration.interpretation) == (
        "confirmed",
        True,
        "tamoul",
    )
    assert page.locator(".message-success").first.inner_text().startswith("Votre place est réservée")
