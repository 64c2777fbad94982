"""The vote on a phone (375 × 812): the ballot comes first, each line shows the project's picture
and summary, the running total stays on screen and updates, every target is at least 44 px."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from playwright.sync_api import FilePayload, Page

from apps.accounts.models import User
from apps.budgets.models import Project
from apps.core.covers import cover_apply
from tests.browser.helpers import assert_no_axe_violations
from tests.browser.test_budgets_projects import _b as _projects_world
from tests.budgets.voting.factories import make_vote_budget
from tests.security.world import World

PHONE = {"width": 375, "height": 812}
TOUCH = 44


def _png() -> ContentFile[bytes]:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 675), (40, 110, 160)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="kiosque.png")


def _phone_ballot(world: World, page_for: Callable[..., Page], **options: Any) -> tuple[Page, Any]:
    budget = make_vote_budget(city=world.city, quartier=world.quartier, slug="bp-telephone", max_choices=None)
    envelope = budget.envelopes.get(territory__isnull=True)
    first = Project.objects.filter(envelope=envelope).order_by("ballot_number").first()
    assert first is not None
    first.description = "Un kiosque couvert pour lire et se retrouver au parc, ouvert à toutes et à tous."
    cover_apply(first, upload=_png(), alt="Un kiosque bleu au milieu des pelouses")
    first.save()
    resident = world.user("resident")
    assert resident is not None
    User.objects.filter(pk=resident.pk).update(birth_date=datetime.date(1988, 4, 12))
    page: Page = page_for(resident, viewport=PHONE, **options)
    return page, (budget, envelope)


def _box(page: Page, selector: str) -> Any:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def test_on_a_phone_the_ballot_comes_first_with_pictures_and_a_live_total(
    world: World, page_for: Callable[..., Page]
) -> None:
    page, (budget, envelope) = _phone_ballot(world, page_for)

    # The vote page: « Mes bulletins » on the first screen, the envelopes behind a switch.
    page.goto(reverse("budgets:vote", kwargs={"slug": budget.process.slug}))
    assert _box(page, "h2:has-text('Mes bulletins')")["y"] < PHONE["height"]
    assert not page.locator("details.vote-envelopes").evaluate("node => node.open")
    assert not page.locator("details.vote-envelopes .card").first.is_visible()
    page.locator("details.vote-envelopes > summary").click()
    assert page.locator("details.vote-envelopes .card").first.is_visible()
    assert_no_axe_violations(page, "vote home on a phone")

    # The ballot: its first line on the first screen, before any rule or explanation.
    page.goto(reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": envelope.pk}))
    first_label = _box(page, ".ballot-project label")
    assert first_label["y"] + first_label["height"] <= PHONE["height"]
    assert not page.locator("details.vote-explanation").evaluate("node => node.open")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], scroll_width

    # The project's picture (lazy, with its text alternative) and summary on its line; a calm
    # fallback on the others.
    line = page.locator(".ballot-project").first
    image = line.locator("img.card-image")
    assert image.get_attribute("alt") == "Un kiosque bleu au milieu des pelouses"
    assert image.get_attribute("loading") == "lazy" and "480w" in (image.get_attribute("srcset") or "")
    assert "Un kiosque couvert pour lire" in line.locator(".ballot-summary").inner_text()
    assert page.locator(".ballot-project").nth(1).locator(".card-fallback").count() == 1

    # Every target of the ballot is at least 44 px high.
    targets = page.locator(
        ".ballot-project label, .ballot-more, .ballot-bar button, details.vote-explanation > summary"
    )
    assert targets.count() >= 10
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        assert box is not None and box["height"] >= TOUCH, (index, box)

    # The running total is on screen at the top of the list and at its end, and follows the ticks.
    bar = _box(page, ".ballot-bar")
    assert bar["y"] + bar["height"] <= PHONE["height"] + 1
    page.locator(".ballot-project label").nth(0).click()  # a tap on the label ticks the box
    page.locator(".ballot-project label").nth(2).click()
    assert page.locator('[data-total="count"]').inner_text() == "2"
    assert page.locator('[data-total="cost"]').inner_text().replace("\u202f", " ") == "60 000"
    page.locator(".ballot-project").last.scroll_into_view_if_needed()
    bar = _box(page, ".ballot-bar")
    assert bar["y"] >= 0 and bar["y"] + bar["height"] <= PHONE["height"] + 1
    assert_no_axe_violations(page, "ballot on a phone")


def test_on_a_phone_without_javascript_the_total_is_computed_on_submit_and_choices_kept(
    world: World, page_for: Callable[..., Page]
) -> None:
    page, (budget, envelope) = _phone_ballot(world, page_for, java_script_enabled=False)
    page.goto(reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": envelope.pk}))
    page.locator(".ballot-project label").nth(1).click()
    page.locator(".ballot-project label").nth(3).click()
    assert page.locator('[data-total="count"]').inner_text() == "0"  # no script: not yet
    with page.expect_navigation():
        page.get_by_role("button", name="Mettre à jour le total").click()
    assert page.locator('[data-total="count"]').inner_text() == "2"
    assert page.locator('[data-total="cost"]').inner_text().replace("\u202f", " ").replace("\xa0", " ") == "40 000"
    checked = page.locator("input[name=projets]:checked")
    assert [checked.nth(i).get_attribute("id") for i in range(checked.count())] == ["id_projets_1", "id_projets_3"]
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier mon vote").click()
    assert "Vérifiez votre vote" in page.locator("h1").inner_text()


def test_axe_on_covers_with_and_without_a_picture_and_on_an_upload_error(
    world: World, page_for: Callable[..., Page]
) -> None:
    page, (_budget, envelope) = _phone_ballot(world, page_for)
    with_picture, without = Project.objects.filter(envelope=envelope).order_by("ballot_number")[:2]
    page.goto(with_picture.get_absolute_url())
    assert page.locator("img.page-cover").get_attribute("alt") == "Un kiosque bleu au milieu des pelouses"
    assert_no_axe_violations(page, "project page with its picture")
    page.goto(without.get_absolute_url())
    assert page.locator(".page-cover-fallback").count() == 1
    assert_no_axe_violations(page, "project page with the fallback")

    # The holder's form refuses an SVG in French, keeping what was typed.
    projects = _projects_world(world)
    page.goto(reverse("budgets:project_edit", kwargs={"pk": projects.project.pk}))
    page.set_input_files(
        "#id_cover_file",
        files=FilePayload(
            name="logo.svg", mimeType="image/svg+xml", buffer=b'<svg xmlns="http://www.w3.org/2000/svg"/>'
        ),
    )
    page.fill("#id_cover_alt", "Un logo")
    page.fill("#id_title", "Un titre gardé")
    with page.expect_navigation():
        page.locator("#contenu form.project-form button[type=submit]").click()
    assert "pas une image lisible" in page.locator("#contenu").inner_text()
    assert page.locator("#id_title").input_value() == "Un titre gardé"
    assert page.locator("#id_cover_alt").input_value() == "Un logo"
    assert_no_axe_violations(page, "project form with an upload error")
