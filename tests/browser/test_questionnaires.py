"""Answering a questionnaire with the keyboard only, with and without JavaScript: Tab between
the questions, Space and the arrow keys in a radio group, the ranking selects typed into, Enter
on the submit button. Every question stays reachable (conditional ones carry their condition in
words), and the answer is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from apps.consultations.models import Response
from tests.browser.helpers import focused, tab_to
from tests.browser.test_keyboard import JS_MODES, is_submit
from tests.security.world import World


def _field(name: str) -> Any:
    return lambda current: current.get("name") == name


@pytest.mark.parametrize("javascript", JS_MODES)
def test_questionnaire_answered_with_the_keyboard(
    world: World, page_for: Callable[..., Page], javascript: bool
) -> None:
    questionnaire = world.extra["questionnaires"].open
    single, text, multiple, scale, ranking, matrix = list(questionnaire.questions.all())
    page: Page = page_for(None, java_script_enabled=javascript)
    page.goto(questionnaire.get_absolute_url())
    tab_to(page, _field(single.field_name))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # « Jamais »: the conditional question applies
    assert focused(page)["id"] == f"id_{single.field_name}_2"
    tab_to(page, _field(text.field_name))
    page.keyboard.type("Trop sombre le soir.")
    tab_to(page, _field(multiple.field_name))
    page.keyboard.press("Space")
    tab_to(page, _field(scale.field_name))
    page.keyboard.press("Space")
    for index in range(3):
        tab_to(page, _field(f"{ranking.field_name}_{index}"))
        page.keyboard.type(str(index + 1))
    for row in range(2):
        tab_to(page, _field(f"{matrix.field_name}_{row}"))
        page.keyboard.press("Space")
    tab_to(page, is_submit)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    stored = Response.objects.get(questionnaire=questionnaire)
    assert stored.answers[str(single.pk)] == 2
    assert stored.answers[str(text.pk)] == "Trop sombre le soir."
    assert stored.answers[str(ranking.pk)] == [0, 1, 2]
    assert set(stored.answers[str(matrix.pk)]) == {"0", "1"}
