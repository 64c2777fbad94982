"""Address suggestions (local gazetteer), the quartier page's map and figures, CSP of the
national address service."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Territory
from tests.proposals.test_placement import square

URL = "/adresses/"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_the_route_is_where_the_docs_say() -> None:
    assert reverse("pages:address_suggestions") == URL


def test_suggestions_are_geojson_features_like_the_national_service(client: Client) -> None:
    response = client.get(URL, {"q": "jules verne"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    features = response.json()["features"]
    assert features and all("Jules-Verne" in feature["properties"]["label"] for feature in features)
    lon, lat = features[0]["geometry"]["coordinates"]
    assert 47.1 < lat < 47.3 and -1.7 < lon < -1.4


@pytest.mark.parametrize("query", ["", "a", "   ", "zzzzzz", "💥💥", "ＲＵＥ ＪＵＬＥＳ"])
def test_odd_but_valid_queries_answer_a_list(client: Client, query: str) -> None:
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["features"], list)


def test_full_width_unicode_is_folded_like_ascii(client: Client) -> None:
    assert client.get(URL, {"q": "ＪＵＬＥＳ"}).json() == client.get(URL, {"q": "jules"}).json()


@pytest.mark.parametrize("query", ["rue\x00", "r" * 101])
def test_nul_and_huge_queries_are_refused(client: Client, query: str) -> None:
    response = client.get(URL, {"q": query})
    assert response.status_code == 400


def test_post_is_not_allowed(client: Client) -> None:
    assert client.post(URL, {"q": "rue"}).status_code == 405


def test_suggestions_are_rate_limited(client: Client) -> None:
    # django-ratelimit counts in fixed windows: the clock is stopped so that the 125 requests
    # (seconds apart on a loaded machine) never straddle two windows, where the count restarts.
    with time_machine.travel(timezone.now(), tick=False):
        statuses = [client.get(URL, {"q": f"ru{'e' * (i % 3)}"}).status_code for i in range(125)]
    assert statuses[:120] == [200] * 120
    assert statuses[-1] == 429


def test_quartier_page_has_its_outline_map_and_figures(client: Client, city: Territory, quartier: Territory) -> None:
    quartier.boundary = square(-1.55, 47.20, -1.50, 47.24)
    quartier.save()
    html = client.get(quartier.get_absolute_url()).content.decode()
    found = re.search(r'<script id="territory-map-config" type="application/json">(.*?)</script>', html)
    assert found is not None
    names = [f["properties"]["name"] for f in json.loads(found.group(1))["boundaries"]["features"]]
    assert names == [quartier.name]
    assert "En chiffres" in html and "engagements de la Ville ici" in html


def test_quartier_page_without_outline_has_no_map(client: Client, city: Territory, quartier: Territory) -> None:
    html = client.get(quartier.get_absolute_url()).content.decode()
    assert "territory-map" not in html and "leaflet.js" not in html
    assert "En chiffres" in html


def test_city_page_draws_its_quartiers(
    client: Client, city: Territory, quartier: Territory, other_quartier: Territory
) -> None:
    for territory, box in ((city, (-1.6, 47.2, -1.5, 47.24)), (quartier, (-1.55, 47.2, -1.5, 47.24))):
        territory.boundary = square(*box)
        territory.save()
    html = client.get(city.get_absolute_url()).content.decode()
    found = re.search(r'<script id="territory-map-config" type="application/json">(.*?)</script>', html)
    assert found is not None
    assert [f["properties"]["name"] for f in json.loads(found.group(1))["boundaries"]["features"]] == [quartier.name]


def _policy(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    import archipel.settings as module

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        return dict(importlib.reload(module).CONTENT_SECURITY_POLICY["DIRECTIVES"])
    finally:
        for name in env:
            monkeypatch.delenv(name)
        importlib.reload(module)


def test_the_national_address_service_is_allowed_by_the_csp_only_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    national = _policy(monkeypatch, ADDRESS_SEARCH_URL="https://api-adresse.data.gouv.fr/search/")
    assert "https://api-adresse.data.gouv.fr" in national["connect-src"]
    assert _policy(monkeypatch)["connect-src"] == ["'self'"]
