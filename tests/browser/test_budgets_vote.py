"""The budget vote in a real browser: axe on every page of the vote (each ballot state),
a keyboard-only vote and a vote without JavaScript, the results and the paper entry pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from apps.accounts.models import User
from apps.budgets.models import Ballot, VoterRecord
from tests.browser.helpers import assert_no_axe_violations, focused, submit_with_errors, tab_to
from tests.budgets.voting.factories import make_vote_budget
from tests.security.modules.budgets_voting import extend_world_voting
from tests.security.world import World

JS_MODES = [pytest.param(True, id="js"), pytest.param(False, id="nojs")]


def _vote(world: World) -> Any:
    if "budgets_voting" not in world.extra:
        extend_world_voting(world)
    return world.extra["budgets_voting"]


def _ballot_url(budget: Any, envelope: Any) -> str:
    return reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": envelope.pk})


def _with_birth_date(user: User | None) -> User:
    assert user is not None
    User.objects.filter(pk=user.pk).update(birth_date=datetime.date(1988, 4, 12))
    return user


def test_axe_on_the_online_vote(world: World, page_for: Callable[..., Page]) -> None:
    vote = _vote(world)
    page: Page = page_for(world.user("resident"))
    page.goto(reverse("budgets:vote", kwargs={"slug": vote.budget.process.slug}))
    assert_no_axe_violations(page, "vote home")

    page.goto(_ballot_url(vote.budget, vote.city_envelope))
    assert page.locator("input[name=projets]").count() == 4
    assert_no_axe_violations(page, "approval ballot (with the birth date asked)")

    # Error state: no birth date, four projects for three.
    for box in page.locator("input[name=projets]").all():
        box.check()
    submit_with_errors(page)
    assert page.locator(".form-error-summary").count() == 1
    assert "3 projets au plus" in page.locator(".form-error-summary").inner_text()
    assert_no_axe_violations(page, "approval ballot with errors")

    page.locator("input[name=projets]").nth(3).uncheck()
    page.locator("input[name=projets]").nth(2).uncheck()
    page.fill("input[name=birth_date]", "1990-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier mon vote").click()
    assert "Vérifiez votre vote" in page.locator("h1").inner_text()
    assert_no_axe_violations(page, "confirmation")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer mon vote").click()
    assert "reçu" in page.locator("h1").inner_text()
    assert_no_axe_violations(page, "receipt")
    assert Ballot.objects.filter(envelope=vote.city_envelope).count() == 2  # other_resident's and this one


def test_axe_on_a_knapsack_ballot_and_its_live_total(world: World, page_for: Callable[..., Page]) -> None:
    budget = make_vote_budget(
        city=world.city,
        quartier=world.quartier,
        slug="bp-panier",
        ballot_type="knapsack",
        max_choices=None,
        min_spend_share=50,
    )
    envelope = budget.envelopes.get(territory__isnull=True)
    page: Page = page_for(_with_birth_date(world.user("resident")))
    page.goto(_ballot_url(budget, envelope))
    assert_no_axe_violations(page, "knapsack ballot")
    page.locator("input[name=projets]").nth(0).check()  # 40 000 €
    assert page.locator('[data-total="left"]').inner_text().replace("\u202f", " ") == "60 000"
    submit_with_errors(page)  # 40 000 € < 50 % of 100 000 €
    assert "au moins 50" in page.locator(".form-error-summary").inner_text()
    assert_no_axe_violations(page, "knapsack ballot with errors")


def test_axe_on_results_and_paper_entry(world: World, page_for: Callable[..., Page]) -> None:
    vote = _vote(world)
    page: Page = page_for(None)
    page.goto(reverse("budgets:results", kwargs={"slug": vote.published_budget.process.slug}))
    assert "Retenu" in page.locator("main").inner_text()
    assert_no_axe_violations(page, "results")
    page.goto(reverse("budgets:results", kwargs={"slug": vote.closed_budget.process.slug}))
    assert_no_axe_violations(page, "results not yet published")
    page.goto(reverse("budgets:receipt_check", kwargs={"slug": vote.budget.process.slug}) + "?code=ABCD-EFGH-IJKL-MNOP")
    assert_no_axe_violations(page, "receipt check")

    agent_page: Page = page_for(world.user("agent"))
    agent_page.goto(reverse("budgets_admin:vote", kwargs={"process_pk": vote.budget.process_id}))
    assert_no_axe_violations(agent_page, "vote back office")
    agent_page.goto(reverse("budgets_admin:vote", kwargs={"process_pk": vote.closed_budget.process_id}))
    assert_no_axe_violations(agent_page, "vote back office after the close (preview)")
    agent_page.goto(reverse("budgets_admin:paper_new", kwargs={"envelope_pk": vote.city_envelope.pk}))
    assert_no_axe_violations(agent_page, "paper first entry")
    submit_with_errors(agent_page)
    assert agent_page.locator(".form-error-summary").count() == 1
    assert_no_axe_violations(agent_page, "paper first entry with errors")
    agent_page.goto(reverse("budgets_admin:paper_second", kwargs={"pk": vote.waiting_sheet.pk}))
    assert_no_axe_violations(agent_page, "paper second entry")
    agent_page.goto(reverse("budgets_admin:paper_resolve", kwargs={"pk": vote.disputed_sheet.pk}))
    assert_no_axe_violations(agent_page, "paper dispute")
    agent_page.goto(reverse("budgets_admin:paper_void", kwargs={"process_pk": vote.budget.process_id}))
    assert_no_axe_violations(agent_page, "void sheet")


@pytest.mark.parametrize("javascript", JS_MODES)
def test_a_resident_votes_with_the_keyboard_only(world: World, page_for: Callable[..., Page], javascript: bool) -> None:
    vote = _vote(world)
    resident = _with_birth_date(world.user("resident"))
    page: Page = page_for(resident, java_script_enabled=javascript)
    page.goto(_ballot_url(vote.budget, vote.city_envelope))
    form = "#contenu form.ballot-form"

    # Tick the first and the third project with Space.
    first = tab_to(page, lambda current: current.get("name") == "projets")
    page.keyboard.press("Space")
    tab_to(page, lambda current: current.get("name") == "projets" and current.get("id") == "id_projets_2")
    page.keyboard.press("Space")
    # The running total, without the mouse (and without JavaScript when it is off).
    tab_to(page, lambda current: current.get("tag") == "button" and "total" in current.get("text", "").lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator('[data-total="count"]').inner_text() == "2"
    tab_to(page, lambda current: current.get("tag") == "button" and "Vérifier" in current.get("text", ""))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Vérifiez votre vote" in page.locator("h1").inner_text()
    tab_to(page, lambda current: current.get("tag") == "button" and "Confirmer" in current.get("text", ""))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "reçu" in page.locator("h1").inner_text()
    assert focused(page) is not None and first.get("id") == "id_projets_0"
    record = VoterRecord.objects.get(envelope=vote.city_envelope, user=resident)
    assert record.channel == "online"
    assert page.locator(form).count() == 0


def test_after_voting_the_back_button_and_a_change_keep_the_receipt_valid(
    world: World, page_for: Callable[..., Page]
) -> None:
    """Issue 8, item 13, in the browser: back after voting, then an explicit change (axe on each)."""
    vote = _vote(world)
    page: Page = page_for(_with_birth_date(world.user("resident")))
    page.goto(_ballot_url(vote.budget, vote.city_envelope))
    page.locator("input[name=projets]").nth(0).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier mon vote").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer mon vote").click()
    receipt = page.locator(".receipt-code").inner_text()
    page.go_back()  # the confirmation page, from the cache or sent again
    if page.locator("button", has_text="Confirmer mon vote").count():
        with page.expect_navigation():
            page.get_by_role("button", name="Confirmer mon vote").click()  # a stale form: nothing changes
    assert page.locator(".receipt-code").inner_text() == receipt
    assert "pas encore enregistré" not in page.locator("main").inner_text()
    assert_no_axe_violations(page, "recorded ballot after the back button")
    with page.expect_navigation():
        page.get_by_role("link", name="Modifier mon vote").click()
    assert receipt in page.locator("main").inner_text()
    assert_no_axe_violations(page, "ballot being changed")
    page.locator("input[name=projets]").nth(1).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier mon vote").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer et remplacer mon vote").click()
    assert page.locator(".receipt-code").inner_text() != receipt
    page.goto(reverse("budgets:receipt_check", kwargs={"slug": vote.budget.process.slug}) + f"?code={receipt}")
    assert "a été remplacé" in page.locator("main").inner_text()
    assert_no_axe_violations(page, "receipt check of a replaced receipt")


def test_an_over_budget_basket_says_so_live(world: World, page_for: Callable[..., Page]) -> None:
    budget = make_vote_budget(
        city=world.city, quartier=world.quartier, slug="bp-depasse", ballot_type="knapsack", max_choices=None
    )
    envelope = budget.envelopes.get(territory__isnull=True)
    envelope.amount = 78_648
    envelope.save()
    page: Page = page_for(_with_birth_date(world.user("resident")))
    page.goto(_ballot_url(budget, envelope))
    for box in page.locator("input[name=projets]").all():  # 100 000 € of projects
        box.check()
    over = page.locator('[data-total="over"]')
    assert over.is_visible() and not page.locator('[data-total="remaining"]').is_visible()
    assert "Vous dépassez le budget de 21" in over.inner_text().replace("\u202f", " ")
    assert "-" not in page.locator("#total").inner_text()
    assert_no_axe_violations(page, "knapsack ballot over budget")
