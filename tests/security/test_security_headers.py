"""Item 1 of issue 8, the browser layer: every HTML page sends a Content-Security-Policy
(django-csp) that allows no inline script and no eval, and a Permissions-Policy
(django-permissions-policy). Walked over every GET route of the security URL matrix, for a
visitor and for an agent, plus the error pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from apps.accounts.models import User
from tests.conftest import Response
from tests.security.url_matrix import ROUTES
from tests.security.world import World

PERMISSIONS = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "browsing-topics=()")


def _directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_site_headers(response: Response, label: str) -> None:
    csp = response.get("Content-Security-Policy")
    assert csp, f"{label}: no Content-Security-Policy"
    directives = _directives(csp)
    assert directives["script-src"] == ["'self'"], f"{label}: {csp}"
    assert directives["style-src"] == ["'self'"], f"{label}: {csp}"
    assert directives["default-src"] == ["'self'"], f"{label}: {csp}"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, f"{label}: {csp}"
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "https://tile.openstreetmap.org" in directives["img-src"]
    policy = response.get("Permissions-Policy", "")
    for feature in PERMISSIONS:
        assert feature in policy, f"{label}: {feature} not in {policy!r}"


@pytest.mark.parametrize("persona", ["anonymous", "agent"])
def test_every_html_page_sends_the_csp_and_the_permissions_policy(
    persona: str, world: World, client_for: Callable[[User | None], Client]
) -> None:
    client: Client = client_for(world.user(persona))
    seen = 0
    for route in ROUTES:
        if route.get is None or route.name == "pages:media":
            continue
        url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            assert_site_headers(response, f"{persona} GET {url} ({response.status_code})")
            seen += 1
    assert seen > 60  # the walk did reach the pages of every module


def test_error_pages_send_the_headers_too(world: World, client_for: Callable[[User | None], Client]) -> None:
    resident = client_for(world.user("resident"))
    not_found = client_for(None).get("/pas-de-page-ici/")
    assert not_found.status_code == 404
    assert_site_headers(not_found, "404")
    forbidden = resident.get(reverse("backoffice:dashboard"))
    assert forbidden.status_code in (403, 302)
    assert_site_headers(forbidden, "403")
    csrf = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"email": "x@example.org"})
    assert csrf.status_code == 403
    assert_site_headers(csrf, "CSRF 403")
    admin_login = client_for(None).get("/django-admin/login/")
    assert_site_headers(admin_login, "django admin")


def test_the_tile_server_of_the_setting_is_the_one_allowed(
    world: World, client_for: Callable[[User | None], Client], settings: Settings
) -> None:
    from archipel.settings import _tile_origin

    assert _tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert _tile_origin("https://tuiles.nantes.fr/osm/{z}/{x}/{y}.png") == "https://tuiles.nantes.fr"
    assert _tile_origin("") == ""
