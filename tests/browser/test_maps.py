"""Maps in a real browser (issue 10, item 4): the map click sets the quartier, address
suggestions place the point, no horizontal scroll at 375 and 1,280 px, axe on every map state."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from apps.budgets.models import Result
from apps.proposals.models import Proposal
from tests.browser.helpers import assert_no_axe_violations, no_horizontal_scroll
from tests.browser.map_data import draw_outlines, place_proposals
from tests.conftest import make_process_in_phase
from tests.factories import ProposalFactory
from tests.security.modules.budgets_voting import extend_world_voting
from tests.security.world import World

WIDTHS = (375, 1280)


def _city_process(world: World) -> str:
    process = make_process_in_phase("collect", territory=world.city, title="Toute la ville", slug="toute-la-ville")
    return reverse("proposals:create", kwargs={"process_slug": process.slug})


def _outline_centre(page: Page, index: int) -> tuple[float, float]:
    box = page.locator("#carte-choix .leaflet-overlay-pane path").nth(index).bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("width", WIDTHS)
def test_a_map_click_sets_the_quartier(world: World, page_for: Callable[..., Page], width: int) -> None:
    draw_outlines(world)
    url = _city_process(world)
    page: Page = page_for(world.user("resident"), viewport={"width": width, "height": 900})
    page.goto(url)
    page.wait_for_selector("#carte-choix.leaflet-container .leaflet-overlay-pane path")
    page.locator("#carte-choix").scroll_into_view_if_needed()
    # Outlines are drawn the most precise first, then by name: Bellevue (west), Malakoff (east).
    page.mouse.click(*_outline_centre(page, 0))
    assert page.locator("select[name=territory]").input_value() == str(world.other_quartier.pk)
    state = page.locator("#carte-choix-etat").inner_text()
    assert world.other_quartier.name in state
    assert not any(char.isdigit() for char in state)  # never "47.21, -1.58"
    page.mouse.click(*_outline_centre(page, 1))
    assert page.locator("select[name=territory]").input_value() == str(world.quartier.pk)
    assert page.locator("input[name=latitude]").input_value() != ""
    assert_no_axe_violations(page, f"proposal form after a map click at {width} px")
    scroll_width, client_width = no_horizontal_scroll(page)
    assert scroll_width <= client_width

    page.fill("#id_title", "Des bancs le long du cours")
    page.fill("#id_body", "Des bancs à l'ombre tous les cent mètres, pour les personnes âgées du quartier.")
    page.locator("#contenu form.proposal-form button[type=submit]").click()
    page.wait_for_url("**/propositions/**")
    assert Proposal.objects.get(title="Des bancs le long du cours").territory == world.quartier


def test_an_address_suggestion_places_the_point_and_the_quartier(world: World, page_for: Callable[..., Page]) -> None:
    world.quartier.boundary = None
    draw_outlines(world)
    # The whole demo city as one quartier: every gazetteer street is in it.
    world.quartier.boundary = {
        "type": "Polygon",
        "coordinates": [[[-1.70, 47.10], [-1.40, 47.10], [-1.40, 47.35], [-1.70, 47.35], [-1.70, 47.10]]],
    }
    world.quartier.save()
    world.other_quartier.boundary = None
    world.other_quartier.save()
    page: Page = page_for(world.user("resident"))
    page.goto(_city_process(world))
    page.wait_for_selector("#carte-choix.leaflet-container")
    page.locator("#id_address").press_sequentially("jules ver", delay=20)
    suggestion = page.locator("#adresse-suggestions button").first
    suggestion.wait_for()
    assert_no_axe_violations(page, "address suggestions shown")
    label = suggestion.inner_text()
    assert "Jules-Verne" in label
    suggestion.click()
    assert page.locator("#id_address").input_value() == label
    assert page.locator("select[name=territory]").input_value() == str(world.quartier.pk)
    assert page.locator("#carte-choix .leaflet-marker-icon").count() == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_map_page_beside_its_list_without_horizontal_scroll(
    world: World, page_for: Callable[..., Page], width: int
) -> None:
    draw_outlines(world)
    for index in range(25):
        ProposalFactory.create(
            process=world.process,
            author=world.user("resident"),
            title=f"Idée placée {index}",
            latitude=Decimal("47.21") + Decimal(index) / 10000,
            longitude=Decimal("-1.53"),
        )
    page: Page = page_for(None, viewport={"width": width, "height": 900})
    page.goto(reverse("proposals:map", kwargs={"process_slug": world.process.slug}))
    page.wait_for_selector("#carte.leaflet-container .marker-cluster")
    assert page.locator("#liste-localisee ~ ul > li").count() == 10
    map_box = page.locator("#carte").bounding_box()
    list_box = page.locator(".map-layout-list").bounding_box()
    assert map_box is not None and list_box is not None
    if width >= 1024:
        assert list_box["x"] > map_box["x"] + map_box["width"] - 1  # side by side
    else:
        assert list_box["y"] >= map_box["y"] + map_box["height"] - 1  # list below
    scroll_width, client_width = no_horizontal_scroll(page)
    assert scroll_width <= client_width
    assert_no_axe_violations(page, f"proposals map at {width} px")


def test_map_page_list_works_without_javascript(world: World, page_for: Callable[..., Page]) -> None:
    place_proposals(world)
    page: Page = page_for(None, java_script_enabled=False)
    page.goto(reverse("proposals:map", kwargs={"process_slug": world.process.slug}))
    assert page.locator("#liste-localisee ~ ul > li").count() >= 1


@pytest.mark.parametrize("width", WIDTHS)
def test_place_and_quartier_maps_have_no_axe_violations(
    world: World, page_for: Callable[..., Page], width: int
) -> None:
    draw_outlines(world)
    place_proposals(world)
    page: Page = page_for(None, viewport={"width": width, "height": 900})
    page.goto(world.proposal.get_absolute_url())
    page.locator("#lieu-titre").scroll_into_view_if_needed()
    page.wait_for_selector(".map-place.leaflet-container .leaflet-marker-icon")
    assert "place du Commerce" in page.locator("#lieu-texte").inner_text()
    assert_no_axe_violations(page, f"proposal with its place at {width} px")
    page.goto(world.quartier.get_absolute_url())
    page.wait_for_selector("#territory-map.leaflet-container .leaflet-overlay-pane path")
    assert_no_axe_violations(page, f"quartier page with its map at {width} px")
    scroll_width, client_width = no_horizontal_scroll(page)
    assert scroll_width <= client_width


def test_turnout_choropleth_on_results(world: World, page_for: Callable[..., Page]) -> None:
    draw_outlines(world)
    if "budgets_voting" not in world.extra:
        extend_world_voting(world)
    budget = world.extra["budgets_voting"].published_budget
    result = Result.objects.filter(envelope__budget=budget, envelope__territory=None).get()
    result.turnout = {
        world.quartier.slug: {"name": world.quartier.name, "voters": 40, "population": 1000, "rate": 4.0},
        world.other_quartier.slug: {"name": world.other_quartier.name, "voters": 90, "population": 1000, "rate": 9.0},
    }
    result.save(update_fields=["turnout"])
    page: Page = page_for(None, viewport={"width": 375, "height": 812})
    page.goto(reverse("budgets:results", kwargs={"slug": budget.process.slug}))
    assert page.locator("svg.choropleth path").count() == 2
    assert_no_axe_violations(page, "results with the turnout map")
    scroll_width, client_width = no_horizontal_scroll(page)
    assert scroll_width <= client_width


def test_project_form_suggests_streets_and_the_field_stays_plain_text(
    world: World, page_for: Callable[..., Page]
) -> None:
    url = reverse("budgets:project_create", kwargs={"slug": world.extra["budgets"].process.slug})
    page: Page = page_for(world.user("resident"))
    page.goto(url)
    page.locator("#id_address").press_sequentially("place du comm", delay=20)
    suggestion = page.locator("#adresse-suggestions button").first
    suggestion.wait_for()
    assert_no_axe_violations(page, "project form with address suggestions")
    suggestion.click()
    assert page.locator("#id_address").input_value() == "Place du Commerce"
    # Without JavaScript the address is an ordinary text field.
    plain: Page = page_for(world.user("resident"), java_script_enabled=False)
    plain.goto(url)
    plain.fill("#id_address", "12 rue de la Paix")
    assert plain.locator("#id_address").input_value() == "12 rue de la Paix"
