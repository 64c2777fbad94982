"""Issue 8, item 10: legal pages (configurable), and French error pages everywhere
(400, 403 and its CSRF variant, 404, 429, 500), never Django's English defaults."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.core.models import Process
from apps.pages.views import server_error
from tests.conftest import PERSONAS, Personas, Response

pytestmark = pytest.mark.django_db

ENGLISH = ("Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification failed")

LEGAL = [
    ("pages:legal", "/mentions-legales/", "Mentions légales"),
    ("pages:privacy", "/confidentialite/", "Politique de confidentialité"),
    ("pages:terms", "/conditions-d-utilisation/", "Conditions d'utilisation et charte de participation"),
    ("pages:cookies", "/cookies/", "Cookies"),
]


def _french(response: Response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status, html[:300]
    assert '<html lang="fr"' in html
    assert f"<h1>{heading}</h1>" in html, html[:1000]
    assert not any(english in html for english in ENGLISH)
    return html


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "path", "heading"), LEGAL, ids=[item[0] for item in LEGAL])
def test_legal_pages_are_public_and_french(
    name: str, path: str, heading: str, persona: str, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    assert reverse(name) == path
    _french(client_for(personas[persona]).get(path), 200, heading)


def test_the_footer_links_every_legal_page(client: Client) -> None:
    footer = client.get(reverse("pages:home")).content.decode().split("<footer", 1)[1]
    for name, path, _heading in LEGAL:
        assert f'href="{path}"' in footer, name


@override_settings(
    LEGAL_PUBLISHER_NAME="Ville de Testbourg",
    LEGAL_PUBLISHER_ADDRESS="1 place de la Mairie, 99999 Testbourg",
    LEGAL_DIRECTOR="Le maire de Testbourg",
    LEGAL_HOST="Hébergeur Exemple SAS, 1 rue des Serveurs, 75000 Paris",
    DPO_CONTACT="dpo@testbourg.example",
    RETENTION_INACTIVE_ACCOUNT_YEARS=2,
    RETENTION_LOGS_MONTHS=6,
)
def test_legal_pages_follow_the_settings(client: Client) -> None:
    legal = client.get(reverse("pages:legal")).content.decode()
    for text in (
        "Ville de Testbourg",
        "1 place de la Mairie, 99999 Testbourg",
        "Le maire de Testbourg",
        "Hébergeur Exemple SAS",
    ):
        assert text in legal
    privacy = client.get(reverse("pages:privacy")).content.decode()
    assert 'href="mailto:dpo@testbourg.example"' in privacy
    assert "depuis 2 ans" in privacy and "6 mois" in privacy
    for section in ("Finalité", "Base légale", "Durées de conservation", "Vos droits", "CNIL"):
        assert section in privacy
    cookies = client.get(reverse("pages:cookies")).content.decode()
    assert "sessionid" in cookies and "csrftoken" in cookies and "django_language" in cookies
    assert "aucun bandeau" in cookies


@override_settings(DEBUG=False)
def test_404_is_french(client: Client) -> None:
    _french(client.get("/cette-page-n-existe-pas/"), 404, "Page introuvable")


@override_settings(DEBUG=False)
def test_403_is_french(personas: Personas, client_for: Callable[[User | None], Client]) -> None:
    _french(client_for(personas["resident"]).get(reverse("backoffice:dashboard")), 403, "Accès refusé")


@override_settings(DEBUG=False)
def test_400_is_french(client: Client) -> None:
    # A request for a host the site does not serve (SuspiciousOperation, answered 400).
    _french(client.get("/", HTTP_HOST="pirate.example"), 400, "Demande incorrecte")


@override_settings(DEBUG=False)
def test_csrf_failure_is_french_and_gives_the_text_back(
    process_in_phase: Callable[..., Process], personas: Personas
) -> None:
    process = process_in_phase("collect")
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["resident"])
    url = reverse("proposals:create", args=[process.slug])
    typed = "Mon idée, écrite pendant une heure : des bancs à l'ombre près de l'école."
    response = client.post(url, {"title": "Des bancs à l'ombre", "body": typed}, HTTP_REFERER=f"http://testserver{url}")
    html = _french(response, 403, "Formulaire expiré")
    assert "Des bancs à l&#x27;ombre" in html and typed.replace("'", "&#x27;") in html
    assert f'href="http://testserver{url}"' in html
    # A referer to another site is not offered as "back".
    response = client.post(url, {"title": "x"}, HTTP_REFERER="https://pirate.example/")
    assert "pirate.example" not in response.content.decode()


@override_settings(DEBUG=False, ROOT_URLCONF="tests.pages.urls_boom")
def test_500_is_french() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Erreur du serveur</h1>" in html and '<html lang="fr"' in html
    assert not any(english in html for english in ENGLISH)


def test_the_500_page_needs_neither_the_database_nor_the_request(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    request = RequestFactory().get("/")  # no user, no session: middleware may not have run
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


@override_settings(MAP_TILE_URL="https://{s}.tuiles.example/{z}/{x}/{y}.png", ADDRESS_SEARCH_URL="")
def test_privacy_names_the_tile_server_only_when_no_address_service(client: Client) -> None:
    privacy = client.get(reverse("pages:privacy")).content.decode()
    assert "Services extérieurs appelés par votre navigateur" in privacy
    assert "depuis tuiles.example" in privacy and "{s}" not in privacy
    assert "Recherche d&#x27;adresse" not in privacy and "Base Adresse Nationale" not in privacy


@override_settings(MAP_TILE_URL="", ADDRESS_SEARCH_URL="https://api-adresse.data.gouv.fr/search/")
def test_privacy_names_the_national_address_service_when_set(client: Client) -> None:
    privacy = client.get(reverse("pages:privacy")).content.decode()
    assert "api-adresse.data.gouv.fr" in privacy and "Base Adresse Nationale" in privacy
    assert "Fonds de carte" not in privacy


@override_settings(MAP_TILE_URL="", ADDRESS_SEARCH_URL="")
def test_privacy_has_no_third_party_section_without_third_parties(client: Client) -> None:
    assert "Services extérieurs" not in client.get(reverse("pages:privacy")).content.decode()
