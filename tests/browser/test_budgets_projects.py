"""Browser tests of the budgets' projects part: axe on every new page (error states included),
and a keyboard-only project submission, with and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from apps.budgets.models import Project
from tests.browser.helpers import assert_no_axe_violations, focused, submit_with_errors, tab_to
from tests.browser.screens import at_phone_width
from tests.security.world import World


def _b(world: World) -> Any:
    return world.extra["budgets"]


def test_public_budget_pages_have_no_axe_violations(world: World, page_for: Callable[..., Page]) -> None:
    budgets = _b(world)
    slug = budgets.process.slug
    page: Page = page_for(world.user("resident"))
    for name, kwargs in (
        ("budgets:detail", {"slug": slug}),
        ("budgets:envelopes", {"slug": slug}),
        ("budgets:projects", {"slug": slug}),
        ("budgets:project", {"pk": budgets.project.pk}),
        ("budgets:project", {"pk": budgets.other_project.pk}),  # with the invitation to answer
        ("budgets:project_edit", {"pk": budgets.project.pk}),
    ):
        page.goto(reverse(name, kwargs=kwargs))
        assert_no_axe_violations(page, name)
    page.goto(reverse("budgets:projects", kwargs={"slug": slug}) + "?q=jardin&etat=submitted")
    assert page.locator("#contenu").get_by_text("Un jardin partagé").count() >= 1
    assert_no_axe_violations(page, "budgets:projects filtered")
    # The envelopes' computation table is wider than a phone: its scroll region takes the focus.
    page.goto(reverse("budgets:envelopes", kwargs={"slug": slug}))
    at_phone_width(page, world)
    assert_no_axe_violations(page, "budgets:envelopes at phone width")


def test_project_form_error_state_has_no_axe_violations(world: World, page_for: Callable[..., Page]) -> None:
    page: Page = page_for(world.user("resident"))
    page.goto(reverse("budgets:project_create", kwargs={"slug": _b(world).process.slug}))
    assert_no_axe_violations(page, "project form")
    submit_with_errors(page, {"#id_title": "Un titre gardé"})
    assert page.locator(".form-error-summary").is_visible()
    assert page.locator("#id_title").input_value() == "Un titre gardé"
    assert_no_axe_violations(page, "project form with errors")
    # The comment form error state on the project page.
    page.goto(_b(world).project.get_absolute_url())
    submit_with_errors(page, form="#contenu section.comments > form[action*='commenter']")  # not a reply form
    assert_no_axe_violations(page, "comment form with errors")


def test_back_office_pages_have_no_axe_violations(world: World, page_for: Callable[..., Page]) -> None:
    budgets = _b(world)
    pk = budgets.process.pk
    page: Page = page_for(world.user("agent"))
    for name, kwargs in (
        ("budgets_admin:config", {"pk": pk}),
        ("budgets_admin:config", {"pk": world.process.pk}),  # no budget yet: creation form
        ("budgets_admin:analysis", {"pk": pk}),
        ("budgets_admin:project", {"pk": budgets.project.pk}),
        ("budgets_admin:realisation", {"pk": pk}),
    ):
        page.goto(reverse(name, kwargs=kwargs))
        assert_no_axe_violations(page, f"{name} {kwargs}")
    page.goto(reverse("budgets_admin:config", kwargs={"pk": pk}))
    submit_with_errors(page, {"#id_weight_equal": "45", "#id_total_amount": ""})
    assert page.locator(".form-error-summary").is_visible()
    assert_no_axe_violations(page, "config with errors")
    page.goto(reverse("budgets_admin:analysis", kwargs={"pk": pk}))
    page.locator(f"#choix-{budgets.project.pk}").check()
    page.locator("#id_action").select_option("not_feasible")
    with page.expect_navigation():
        page.locator("fieldset.bo-bulk button[type=submit]").click()
    assert page.locator(".form-error-summary").is_visible()
    assert_no_axe_violations(page, "bulk analysis with errors")
    page.goto(reverse("budgets_admin:project", kwargs={"pk": budgets.project.pk}))
    page.locator("input[name=status][value=not_feasible]").check()
    submit_with_errors(page, form="#contenu form[method=post i]:not([action])")
    assert page.locator(".form-error-summary").is_visible()
    assert_no_axe_violations(page, "project analysis with errors")
    # The élu reads the configuration, read-only.
    elu_page: Page = page_for(world.user("elu"))
    elu_page.goto(reverse("budgets_admin:config", kwargs={"pk": pk}))
    assert_no_axe_violations(elu_page, "config read-only")


def _field(name: str) -> Any:
    return lambda current: current.get("name") == name


@pytest.mark.parametrize("javascript", [pytest.param(True, id="js"), pytest.param(False, id="nojs")])
def test_resident_submits_a_project_with_the_keyboard(
    world: World, page_for: Callable[..., Page], javascript: bool
) -> None:
    page: Page = page_for(world.user("other_resident"), java_script_enabled=javascript)
    page.goto(reverse("budgets:project_create", kwargs={"slug": _b(world).process.slug}))
    tab_to(page, _field("title"))
    page.keyboard.type("Des nichoirs pour les mésanges")
    tab_to(page, _field("description"))
    page.keyboard.type("Des nichoirs fabriqués avec l'école, installés dans le square.")
    tab_to(page, _field("envelope"))
    page.keyboard.type("Malakoff")
    tab_to(page, _field("estimated_cost"))
    page.keyboard.type("1200")
    tab_to(page, lambda current: current.get("tag") == "button" and "Déposer" in current.get("text", ""))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    project = Project.objects.get(title="Des nichoirs pour les mésanges")
    assert project.author == world.user("other_resident")
    assert project.envelope == _b(world).envelope and project.estimated_cost == 1200
    assert page.url.endswith(project.get_absolute_url()), (page.url, focused(page))
