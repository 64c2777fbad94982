"""Workshops in a real browser: zero axe violations on every page (error states included),
a keyboard-only vote on the recommendations and a no-JavaScript edit of a recommendation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page

from apps.workshops.models import Recommendation, RecommendationVote
from tests.browser.helpers import assert_no_axe_violations, focused, submit_with_errors, tab_to
from tests.security.world import World

JS_MODES = [pytest.param(True, id="js"), pytest.param(False, id="nojs")]


def _x(world: World) -> Any:
    return world.extra["workshops"]


def _visit(page: Page, url: str, label: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{label}: {response.status if response else None}"
    assert_no_axe_violations(page, label)


def test_public_and_member_pages_have_no_axe_violations(world: World, page_for: Callable[..., Page]) -> None:
    x = _x(world)
    anonymous: Page = page_for(None)
    _visit(anonymous, reverse("workshops:list"), "list")
    _visit(anonymous, x.published.get_absolute_url(), "detail (published opinion)")
    _visit(anonymous, x.answerable.get_absolute_url(), "recommendation (published)")

    resident: Page = page_for(world.user("resident"))
    _visit(resident, x.ws.get_absolute_url(), "detail (member)")
    # A draft recommendation is for the panel (issue 8, item 6).
    _visit(resident, x.recommendation.get_absolute_url(), "recommendation (draft, member)")
    _visit(resident, reverse("workshops:member", kwargs={"slug": x.ws.slug}), "member space")
    _visit(resident, reverse("workshops:vote", kwargs={"slug": x.voting.slug}), "vote")
    edit = reverse("workshops:recommendation_edit", kwargs={"slug": x.ws.slug, "number": 1})
    _visit(resident, edit, "recommendation edit")
    submit_with_errors(resident, {"textarea[name=text]": ""})
    assert resident.locator(".form-error-summary").count() == 1
    assert_no_axe_violations(resident, "recommendation edit (errors)")
    # A stale revision: the newer text is shown beside the kept form.
    resident.goto(edit)
    resident.fill("textarea[name=text]", "Ma version")
    Recommendation.objects.filter(pk=x.recommendation.pk).update(revision=5)
    with resident.expect_navigation():
        resident.locator("#contenu form[method=post i] button[type=submit]").click()
    assert resident.locator(".workshop-newer").count() == 1
    assert_no_axe_violations(resident, "recommendation edit (stale)")

    other: Page = page_for(world.user("other_resident"))
    _visit(other, reverse("workshops:claim", kwargs={"token": x.token}), "claim")


# (label, URL of the page, fields to submit empty for the error summary or None)
BACKOFFICE_PAGES: list[tuple[str, Callable[[Any], str], dict[str, str] | None]] = [
    ("list", lambda x: reverse("workshops_admin:list"), None),
    ("create", lambda x: reverse("workshops_admin:create"), {}),
    ("edit", lambda x: reverse("workshops_admin:edit", kwargs={"pk": x.ws.pk}), {"#id_question": ""}),
    ("edit (draft)", lambda x: reverse("workshops_admin:edit", kwargs={"pk": x.draft.pk}), None),
    ("panel", lambda x: reverse("workshops_admin:panel", kwargs={"pk": x.ws.pk}), None),
    ("sessions", lambda x: reverse("workshops_admin:sessions", kwargs={"pk": x.ws.pk}), {}),
    ("session", lambda x: reverse("workshops_admin:session", kwargs={"pk": x.session.pk}), None),
    ("attendance", lambda x: reverse("workshops_admin:attendance", kwargs={"pk": x.ws.pk}), None),
    ("opinion", lambda x: reverse("workshops_admin:opinion", kwargs={"pk": x.ws.pk}), None),
    ("opinion (published)", lambda x: reverse("workshops_admin:opinion", kwargs={"pk": x.published.pk}), None),
    ("answer", lambda x: reverse("workshops_admin:answer", kwargs={"pk": x.answerable.pk}), {}),
]


def test_backoffice_pages_have_no_axe_violations(world: World, page_for: Callable[..., Page]) -> None:
    x = _x(world)
    page: Page = page_for(world.user("agent"))
    for label, url, errors in BACKOFFICE_PAGES:
        _visit(page, url(x), label)
        if errors is not None:
            submit_with_errors(page, errors, form="#contenu form[method=post i][novalidate]")
            assert page.locator(".form-error-summary").count() >= 1, label
            assert_no_axe_violations(page, f"{label} (errors)")
    # The panel's add form in its error state (a second form on the page).
    page.goto(reverse("workshops_admin:panel", kwargs={"pk": x.ws.pk}))
    submit_with_errors(
        page, {}, form=f"#contenu form[action='{reverse('workshops_admin:member_add', kwargs={'pk': x.ws.pk})}']"
    )
    assert_no_axe_violations(page, "panel (errors)")


@pytest.mark.parametrize("javascript", JS_MODES)
def test_member_votes_with_the_keyboard(world: World, page_for: Callable[..., Page], javascript: bool) -> None:
    x = _x(world)
    recommendation = x.voting.opinion.recommendations.get()
    page: Page = page_for(world.user("resident"), java_script_enabled=javascript)
    page.goto(reverse("workshops:vote", kwargs={"slug": x.voting.slug}))
    name = f"r{recommendation.pk}"
    tab_to(page, lambda current: current.get("name") == name and current.get("type") == "radio")
    page.keyboard.press("Space")  # the first choice: « Pour »
    page.keyboard.press("ArrowRight")  # arrows move within the group: « Contre »
    assert focused(page)["name"] == name
    tab_to(page, lambda current: current.get("tag") == "button" and "vote" in current.get("text", "").lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    vote = RecommendationVote.objects.get(recommendation=recommendation)
    assert vote.choice == "against"
    assert page.locator(".messages").count() == 1


def test_member_edits_a_recommendation_without_javascript(
    world: World, new_context: Callable[..., BrowserContext]
) -> None:
    x = _x(world)
    page: Page = new_context(world.user("resident"), java_script_enabled=False).new_page()
    page.goto(reverse("workshops:recommendation_edit", kwargs={"slug": x.ws.slug, "number": 1}))
    page.fill("textarea[name=text]", "Limiter la vitesse à 30 km/h autour de toutes les écoles et des crèches.")
    with page.expect_navigation():
        page.locator("#contenu form[method=post i] button[type=submit]").click()
    recommendation = Recommendation.objects.get(pk=x.recommendation.pk)
    assert recommendation.revision == 2
    assert "crèches" in recommendation.text
    assert page.url.endswith(recommendation.get_absolute_url())
    assert "Version 2" in page.content()
