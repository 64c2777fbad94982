"""The quartier of a proposal placed on the map comes from the point, decided by the server."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Process, Territory
from apps.proposals import services
from apps.proposals.models import Proposal
from tests.conftest import Personas


def square(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


@pytest.fixture
def drawn(city: Territory, quartier: Territory, other_quartier: Territory) -> dict[str, Territory]:
    """Malakoff east of -1.55, Bellevue west of it, both between 47.20 and 47.24."""
    city.boundary = square(-1.60, 47.20, -1.50, 47.24)
    quartier.boundary = square(-1.55, 47.20, -1.50, 47.24)
    other_quartier.boundary = square(-1.60, 47.20, -1.55, 47.24)
    for territory in (city, quartier, other_quartier):
        territory.save()
    return {"malakoff": quartier, "bellevue": other_quartier}


@pytest.fixture
def city_process(process_in_phase: Callable[..., Process], city: Territory) -> Process:
    return process_in_phase("collect", territory=city)


def _data(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Des arceaux vélo devant la médiathèque",
        "body": "Il manque des arceaux pour garer les vélos devant la médiathèque du quartier.",
        "address": "place de la Médiathèque",
        **extra,
    }


def test_a_point_sets_the_quartier_whatever_the_form_says(
    client_for: Callable[[User | None], Client], personas: Personas, city_process: Process, drawn: dict[str, Territory]
) -> None:
    client = client_for(personas["resident"])
    response = client.post(
        reverse("proposals:create", args=[city_process.slug]),
        _data(territory=drawn["bellevue"].pk, latitude="47.22", longitude="-1.52"),
    )
    assert response.status_code == 302
    assert Proposal.objects.get().territory == drawn["malakoff"]


def test_a_point_outside_every_quartier_is_refused_in_french_and_nothing_typed_is_lost(
    client_for: Callable[[User | None], Client], personas: Personas, city_process: Process, drawn: dict[str, Territory]
) -> None:
    response = client_for(personas["resident"]).post(
        reverse("proposals:create", args=[city_process.slug]),
        _data(territory=drawn["malakoff"].pk, latitude="48.5", longitude="-1.52"),
    )
    assert response.status_code == 400
    assert "en dehors du territoire de cette démarche" in " ".join(response.context["form"].errors["__all__"])
    html = response.content.decode()
    assert "Des arceaux vélo devant la médiathèque" in html and "place de la Médiathèque" in html
    assert not Proposal.objects.exists()


def test_without_a_point_the_chosen_quartier_stands(
    client_for: Callable[[User | None], Client], personas: Personas, city_process: Process, drawn: dict[str, Territory]
) -> None:
    client_for(personas["resident"]).post(
        reverse("proposals:create", args=[city_process.slug]), _data(territory=drawn["bellevue"].pk)
    )
    assert Proposal.objects.get().territory == drawn["bellevue"]


def test_the_service_decides_again_on_create_and_update(
    personas: Personas, city_process: Process, drawn: dict[str, Territory]
) -> None:
    proposal = services.proposal_create(
        author=personas["resident"],
        process=city_process,
        title="Un banc au soleil",
        body="Un banc au soleil pour les anciens du quartier, près de l'arrêt de bus.",
        territory=drawn["malakoff"],
        latitude=Decimal("47.21"),
        longitude=Decimal("-1.58"),
    )
    assert proposal.territory == drawn["bellevue"]
    with pytest.raises(ValidationError):
        services.proposal_update(
            user=personas["resident"],
            proposal=proposal,
            title=proposal.title,
            body=proposal.body,
            theme=None,
            territory=drawn["bellevue"],
            latitude=Decimal("10"),
            longitude=Decimal("10"),
        )


def test_a_micro_quartier_wins_over_its_quartier(
    personas: Personas, city_process: Process, drawn: dict[str, Territory]
) -> None:
    micro = Territory.objects.create(
        name="Pré-Gauchet",
        slug="pre-gauchet",
        kind=Territory.Kind.MICRO,
        parent=drawn["malakoff"],
        boundary=square(-1.53, 47.21, -1.51, 47.23),
    )
    proposal = services.proposal_create(
        author=personas["resident"],
        process=city_process,
        title="Une fontaine à eau",
        body="Une fontaine à eau potable près du terrain de jeux, pour les enfants et les sportifs.",
        latitude=Decimal("47.22"),
        longitude=Decimal("-1.52"),
    )
    assert proposal.territory == micro


def test_the_form_gives_the_picker_the_outlines_and_the_address_search(
    client_for: Callable[[User | None], Client], personas: Personas, city_process: Process, drawn: dict[str, Territory]
) -> None:
    html = client_for(personas["resident"]).get(reverse("proposals:create", args=[city_process.slug])).content.decode()
    found = re.search(r'<script id="carte-config" type="application/json">(.*?)</script>', html)
    assert found is not None
    config = json.loads(found.group(1))
    names = [feature["properties"]["name"] for feature in config["boundaries"]["features"]]
    assert names == ["Bellevue - Chantenay", "Malakoff - Saint-Donatien"]  # the city itself is not drawn
    assert config["addressSearchUrl"] == reverse("pages:address_suggestions")
    assert 'data-address-search="adresse-suggestions"' in html and 'data-territory="territory"' in html
    # The resident never reads raw coordinates.
    assert not re.search(r"\d+\.\d{4,}, -?\d+\.\d{4,}", html.replace(found.group(1), ""))


def test_map_page_lists_ten_per_page_and_maps_them_all_rounded(
    client: Client, collect_process: Process, make_proposal: Callable[..., Proposal]
) -> None:
    for index in range(23):
        make_proposal(
            collect_process, title=f"Proposition n° {index:02d}", latitude="47.2184567", longitude="-1.5536123"
        )
    response = client.get(reverse("proposals:map", args=[collect_process.slug]), {"page": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    markers = json.loads(re.search(r'<script id="carte-points" type="application/json">(.*?)</script>', html).group(1))  # type: ignore[union-attr]
    assert len(markers) == 23
    assert {(m["lat"], m["lon"]) for m in markers} == {(47.2185, -1.5536)}
    assert 'class="map-layout"' in html and "leaflet.markercluster.js" in html
    assert 'aria-current="page"><span class="visually-hidden">page </span>3' in html


def test_proposal_page_shows_its_place_only_when_placed(
    client: Client, collect_process: Process, make_proposal: Callable[..., Proposal]
) -> None:
    placed = make_proposal(collect_process, address="square Daviais", latitude="47.2131234", longitude="-1.5567891")
    unplaced = make_proposal(collect_process)
    html = client.get(placed.get_absolute_url()).content.decode()
    assert 'data-map="place"' in html and 'data-lat="47.2131"' in html and 'data-lon="-1.5568"' in html
    assert "square Daviais" in html
    assert "47.213123" not in html
    assert 'data-map="place"' not in client.get(unplaced.get_absolute_url()).content.decode()
