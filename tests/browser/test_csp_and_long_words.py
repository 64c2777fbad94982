"""Issue 8, items 1 and 14 in a real browser.

- Under the site's Content-Security-Policy, the scripts still work and the browser reports no
  violation: the proposals map (Leaflet, display and picker), the budget ballot's running total
  (budget-ballot.js) and an htmx swap (support button).
- A 5,000-character word (in a comment, a proposal's body, a budget project's description) and
  titles made of one long word wrap: the page is never wider than a 375 px screen.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

from apps.proposals.models import Proposal, Support
from tests.factories import CommentFactory
from tests.security.modules.budgets_voting import extend_world_voting
from tests.security.world import World

# Registered before any page script: every CSP violation of the page lands in window.__csp.
_LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample || ""}`);
});
"""
_POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Refused to")


class Watch:
    """The CSP violations and policy messages of the console, for one page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(_LISTEN)
        page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        if any(word in message.text for word in _POLICY_WORDS):
            self.console.append(f"{message.type}: {message.text}")

    def assert_clean(self, label: str) -> None:
        violations: list[str] = self.page.evaluate("window.__csp || []")
        assert not violations and not self.console, f"{label}: {violations} {self.console}"


@pytest.fixture
def page_for(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    # A tab of its own for each test, not the worker's reused one: Watch leaves an init script
    # and a console listener on its page.
    def make(user: Any = None, **options: Any) -> Page:
        return new_context(user, **options).new_page()

    return make


def _place(proposal: Proposal) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(latitude=Decimal("47.2184"), longitude=Decimal("-1.5536"))


def test_the_map_works_under_the_csp(world: World, page_for: Callable[..., Page]) -> None:
    _place(world.proposal)
    page: Page = page_for(None)
    watch = Watch(page)
    page.goto(reverse("proposals:map", kwargs={"process_slug": world.process.slug}))
    page.wait_for_selector("#carte.leaflet-container .leaflet-marker-icon")
    page.locator("#carte .leaflet-marker-icon").first.click()
    popup = page.locator("#carte .leaflet-popup-content a")
    assert popup.inner_text() == world.proposal.title
    page.locator("#carte .leaflet-control-zoom-in").click()
    watch.assert_clean("proposals map")


def test_the_map_picker_works_under_the_csp(world: World, page_for: Callable[..., Page]) -> None:
    page: Page = page_for(world.user("resident"))
    watch = Watch(page)
    page.goto(reverse("proposals:create", kwargs={"process_slug": world.process.slug}))
    page.wait_for_selector("#carte-choix.leaflet-container")
    page.locator("#carte-choix").click(position={"x": 120, "y": 90})
    page.wait_for_selector("#carte-choix .leaflet-marker-icon")
    assert page.locator("input[name=latitude]").input_value() != ""
    watch.assert_clean("proposal form with the map picker")


def test_the_ballot_total_works_under_the_csp(world: World, page_for: Callable[..., Page]) -> None:
    if "budgets_voting" not in world.extra:
        extend_world_voting(world)
    vote: Any = world.extra["budgets_voting"]
    page: Page = page_for(world.user("resident"))
    watch = Watch(page)
    kwargs = {"slug": vote.budget.process.slug, "envelope_pk": vote.city_envelope.pk}
    page.goto(reverse("budgets:ballot", kwargs=kwargs))
    page.locator("input[name=projets]").first.check()
    page.wait_for_function("document.querySelector('[data-total=count]').textContent.trim() === '1'")
    watch.assert_clean("budget ballot")


def test_htmx_swaps_work_under_the_csp(world: World, page_for: Callable[..., Page]) -> None:
    supporter = world.user("other_resident")
    page: Page = page_for(supporter)
    watch = Watch(page)
    page.goto(world.proposal.get_absolute_url())
    url_before = page.url
    page.get_by_role("button", name="Soutenir cette proposition").click()
    page.get_by_role("button", name="Retirer mon soutien").wait_for()
    assert page.url == url_before  # swapped in place by htmx, no new page
    assert Support.objects.filter(proposal=world.proposal, user=supporter).exists()
    # htmx's own indicator <style> is off; the rules come from the stylesheet.
    assert page.locator("head style").count() == 0
    watch.assert_clean("htmx support button")


# --- item 14: long words ---------------------------------------------------------------------

LONG = "a" * 5000
TITLE = "T" * 150  # the longest title a proposal or a project accepts, as one word
URL = "https://exemple.fr/" + "chemin/" * 300


def _assert_fits(page: Page, label: str) -> None:
    widths: dict[str, int] = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["viewport"], f"{label}: {widths}"


def test_long_words_never_widen_the_page_at_375_px(world: World, page_for: Callable[..., Page]) -> None:
    proposal = world.proposal
    Proposal.objects.filter(pk=proposal.pk).update(title=TITLE)
    proposal.refresh_from_db()
    proposal.body = f"Avant {LONG} après, et un lien : {URL}"
    proposal.save()
    CommentFactory.create(proposal=proposal, author=world.user("other_resident"), body=f"{LONG}\n\n{URL}")
    budgets: Any = world.extra["budgets"]
    project = budgets.project
    project.title, project.description = TITLE, f"Un projet {LONG}"
    project.save()

    page: Page = page_for(world.user("resident"), viewport={"width": 375, "height": 800})
    pages = {
        "proposal page (title, body, comment)": (proposal.get_absolute_url(), [LONG, TITLE, "exemple.fr"]),
        "proposals list": (reverse("proposals:list", kwargs={"process_slug": world.process.slug}), [TITLE]),
        "budget project page": (reverse("budgets:project", kwargs={"pk": project.pk}), [LONG, TITLE]),
    }
    for label, (address, shown) in pages.items():
        page.goto(address)
        content = page.content()
        assert all(text in content for text in shown), label
        _assert_fits(page, label)
