"""Draws by lot in the browser: zero axe violations on the form error states and an agent running
a draw with the keyboard only, without JavaScript. The scans of every sortition page are screens of
``tests/browser/screens/sortition.py``, run by ``tests/browser/test_axe.py``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from apps.sortition.models import Draw
from apps.sortition.services import probabilities_request
from tests.browser.helpers import assert_no_axe_violations, submit_with_errors, tab_to
from tests.security.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _s(world: World) -> Any:
    return world.extra["sortition"]


def test_form_error_states_have_no_axe_violations(world: World, page_for: Callable[..., Page], tmp_path: Path) -> None:
    agent: Page = page_for(world.user("agent"))
    agent.goto(reverse("sortition_admin:create"))
    submit_with_errors(agent, {"#id_title": "Panel sans date"})
    assert agent.locator(".form-error-summary").count() == 1
    assert agent.locator("#id_title").input_value() == "Panel sans date"
    assert_no_axe_violations(agent, "create with errors")

    agent.goto(reverse("sortition_admin:pool", kwargs={"pk": _s(world).draft.pk}))
    people = tmp_path / "liste.csv"
    people.write_text("pool_member_identifier,genre\nA1,femme\nA2,inconnu\nA2,homme\n", encoding="utf-8")
    quotas = tmp_path / "quotas.csv"
    quotas.write_text("category,feature,min,max\ngenre,femme,1,1\ngenre,homme,1,1\n", encoding="utf-8")
    agent.set_input_files("#id_people", str(people))
    agent.set_input_files("#id_categories", str(quotas))
    submit_with_errors(agent)
    table = agent.locator("#issues-title + .table-wrap table")
    assert "inconnu" in table.inner_text() and "liste.csv" in table.inner_text()
    assert_no_axe_violations(agent, "pool import with errors")

    resident: Page = page_for(world.user("resident"))
    resident.goto(reverse("sortition:volunteer", kwargs={"slug": _s(world).call.slug}))
    submit_with_errors(resident, {"#id_phone": "06 01 02 03 04"})
    assert resident.locator("#id_phone").input_value() == "06 01 02 03 04"
    assert_no_axe_violations(resident, "volunteer with errors")

    # The announcement of a computed draw, with errors (no event date, a malformed commitment).
    loaded = _s(world).loaded
    probabilities_request(actor=world.people.user("agent"), draw=loaded)
    agent.goto(reverse("sortition_admin:draw", kwargs={"pk": loaded.pk}))
    assert_no_axe_violations(agent, "draw computed")
    submit_with_errors(
        agent, {"#id_seed_source": "Loto", "#id_seed_commitment": "abc"}, form="form[action$='/graine/']"
    )
    assert agent.locator("#id_seed_source").input_value() == "Loto"
    assert agent.locator("#id_seed_commitment").input_value() == "abc"
    assert "Ce champ est obligatoire." in agent.inner_text("#contenu")
    assert_no_axe_violations(agent, "seed with errors")

    # The final draw page with an error (empty result).
    agent.goto(reverse("sortition_admin:final", kwargs={"pk": _s(world).ready.pk}))
    submit_with_errors(agent)
    assert "Ce champ est obligatoire." in agent.inner_text("#contenu")
    assert_no_axe_violations(agent, "final draw with errors")


def test_agent_runs_a_draw_with_the_keyboard_without_javascript(world: World, page_for: Callable[..., Page]) -> None:
    draw: Draw = _s(world).loaded
    page: Page = page_for(world.user("agent"), java_script_enabled=False)
    page.goto(reverse("sortition_admin:draw", kwargs={"pk": draw.pk}))

    def press_on(predicate: Callable[[dict[str, Any]], bool]) -> None:
        tab_to(page, predicate, limit=150)
        with page.expect_navigation():
            page.keyboard.press("Enter")

    press_on(lambda f: f.get("text") == "Calculer les probabilités")
    assert "Probabilité la plus faible" in page.inner_text("#contenu")

    tab_to(page, lambda f: f.get("name") == "seed_source", limit=150)
    page.keyboard.type("Les 5 numéros du Loto du samedi 2 mai 2099")
    tab_to(page, lambda f: f.get("name") == "seed_event_at")
    page.keyboard.type("02/05/2099 21:00")
    press_on(lambda f: f.get("text") == "Annoncer le tirage")
    draw.refresh_from_db()
    assert draw.seed_announced_at is not None and draw.is_published and not draw.seed
    # Before the event, the draw is not offered: the page says from when it will be.
    assert "Passer au tirage définitif" not in page.inner_text("#contenu")
    assert "le tirage est impossible avant" in page.inner_text("#contenu")

    # Time passes: the event's result is out.
    now = timezone.now()
    Draw.objects.filter(pk=draw.pk).update(
        seed_announced_at=now - datetime.timedelta(days=2), seed_event_at=now - datetime.timedelta(days=1)
    )
    page.reload()
    press_on(lambda f: f.get("text") == "Passer au tirage définitif")
    assert "ce tirage est définitif" in page.inner_text("#contenu")
    tab_to(page, lambda f: f.get("name") == "event_result")
    page.keyboard.type("03 14 15 92 65")
    press_on(lambda f: f.get("text") == "Effectuer le tirage définitif")
    draw = Draw.objects.get(pk=draw.pk)
    assert draw.state == Draw.State.DRAWN and draw.members.filter(status="selected").count() == 4
    assert draw.seed == "03 14 15 92 65"
    assert "Personnes tirées au sort et leur réponse" in page.inner_text("#contenu")
