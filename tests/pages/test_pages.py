"""Public pages: every URL for every persona, content, filters, query budgets."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.core.models import Process, Territory
from apps.proposals.models import Status
from tests.conftest import PERSONAS, Personas, make_process_in_phase
from tests.factories import CommitmentFactory, ProcessFactory, ProposalFactory, ThemeFactory, make_answer
from tests.pages.helpers import draft

pytestmark = pytest.mark.django_db

STAFF_IN_SCOPE = {"agent", "elu", "moderator"}


def past_process(territory: Territory, **extra: Any) -> Process:
    now = timezone.now()
    process = ProcessFactory.create(territory=territory, **extra)
    process.phases.create(
        module="proposals",
        kind="collect",
        title="Collecte",
        starts_at=now - datetime.timedelta(days=90),
        ends_at=now - datetime.timedelta(days=30),
    )
    return process


def future_process(territory: Territory, **extra: Any) -> Process:
    now = timezone.now()
    process = ProcessFactory.create(territory=territory, **extra)
    process.phases.create(
        module="proposals",
        kind="collect",
        title="Collecte",
        starts_at=now + datetime.timedelta(days=30),
        ends_at=now + datetime.timedelta(days=60),
    )
    return process


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_for_every_persona(
    persona: str,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    process_in_phase: Callable[..., Process],
    quartier: Territory,
) -> None:
    process = process_in_phase("collect")
    client = client_for(personas[persona])
    for url in (
        reverse("pages:home"),
        reverse("pages:process_list"),
        reverse("pages:process", kwargs={"slug": process.slug}),
        reverse("pages:territory", kwargs={"slug": quartier.slug}),
        reverse("pages:accessibility"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.count(b"<h1") == 1, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_unpublished_process_only_for_staff_in_scope(
    persona: str,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    process_in_phase: Callable[..., Process],
) -> None:
    unpublished = draft(process_in_phase("collect", title="Brouillon secret"))
    response = client_for(personas[persona]).get(reverse("pages:process", kwargs={"slug": unpublished.slug}))
    expected = 200 if persona in STAFF_IN_SCOPE else 404
    assert response.status_code == expected
    listing = client_for(personas[persona]).get(reverse("pages:process_list"))
    assert "Brouillon secret" not in listing.content.decode()


def test_unknown_slugs_are_404(client: Client) -> None:
    assert client.get(reverse("pages:process", kwargs={"slug": "nope"})).status_code == 404
    assert client.get(reverse("pages:territory", kwargs={"slug": "nope"})).status_code == 404


def test_post_is_refused_on_read_only_pages(client: Client, process_in_phase: Callable[..., Process]) -> None:
    process = process_in_phase("collect")
    assert client.post(reverse("pages:home")).status_code == 405
    assert client.post(reverse("pages:process", kwargs={"slug": process.slug})).status_code == 405


def test_home_shows_my_quartier_first(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    quartier: Territory,
    other_quartier: Territory,
    city: Territory,
) -> None:
    make_process_in_phase("collect", territory=other_quartier, title="Ailleurs en débat")
    make_process_in_phase("collect", territory=quartier, title="Chez moi en débat")
    make_process_in_phase("collect", territory=city, title="Toute la ville en débat")
    future_process(quartier, title="Bientôt chez moi")
    past_process(quartier, title="Fini chez moi")
    page = client_for(personas["resident"]).get(reverse("pages:home")).content.decode()
    assert "Près de chez vous" in page
    assert page.index("Chez moi en débat") < page.index("Ailleurs en débat")
    assert page.index("Toute la ville en débat") < page.index("Ailleurs en débat")
    assert "Bientôt chez moi" in page
    assert "Fini chez moi" not in page
    assert reverse("pages:territory", kwargs={"slug": other_quartier.slug}) in page
    anonymous = client_for(None).get(reverse("pages:home")).content.decode()
    assert "Près de chez vous" not in anonymous


def test_home_shows_recent_answers_and_updates(client: Client, process_in_phase: Callable[..., Process]) -> None:
    process = process_in_phase("analysis")
    proposal = ProposalFactory.create(process=process, title="Un banc rue de Malakoff", status=Status.ACCEPTED)
    make_answer(proposal=proposal, status=Status.ACCEPTED, body="Retenue, travaux en mai.")
    commitment = CommitmentFactory.create(process=process, title="Poser le banc")
    commitment.updates.create(date=timezone.localdate(), body="Commande passée.", progress=30, state="in_progress")
    hidden = draft(process_in_phase("analysis"))
    secret = ProposalFactory.create(process=hidden, title="Proposition d'un brouillon")
    make_answer(proposal=secret, status=Status.ACCEPTED, body="Secret")
    page = client.get(reverse("pages:home")).content.decode()
    assert "Un banc rue de Malakoff" in page
    assert "Commande passée." in page
    assert "Proposition d'un brouillon" not in page


def test_home_query_count_is_bounded(
    client: Client, quartier: Territory, city: Territory, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for index in range(3):
        make_process_in_phase("collect", territory=quartier, title=f"Démarche {index}")
    with django_assert_max_num_queries(15):
        client.get(reverse("pages:home"))
    for _ in range(12):
        make_process_in_phase("support", territory=city)
        future_process(quartier)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("pages:home"))
    assert response.status_code == 200


def test_process_list_filters_are_allowlisted(client: Client, quartier: Territory, other_quartier: Territory) -> None:
    mobility = ThemeFactory.create(name="Mobilités", slug="mobilites")
    open_here = make_process_in_phase("collect", territory=quartier, title="Ouverte ici")
    open_here.themes.add(mobility)
    make_process_in_phase("collect", territory=other_quartier, title="Ouverte ailleurs")
    future_process(quartier, title="À venir ici")
    past_process(quartier, title="Finie ici")
    url = reverse("pages:process_list")

    def titles(query: dict[str, str]) -> str:
        return client.get(url, query).content.decode()

    page = titles({"etat": "open"})
    assert "Ouverte ici" in page and "Ouverte ailleurs" in page
    assert "À venir ici" not in page and "Finie ici" not in page
    page = titles({"etat": "upcoming"})
    assert "À venir ici" in page and "Ouverte ici" not in page
    page = titles({"etat": "closed"})
    assert "Finie ici" in page and "Ouverte ici" not in page
    page = titles({"quartier": other_quartier.slug})
    assert "Ouverte ailleurs" in page and "Ouverte ici" not in page
    page = titles({"theme": "mobilites"})
    assert "Ouverte ici" in page and "Ouverte ailleurs" not in page
    # Unknown values and unknown parameters are ignored, never used as ORM lookups.
    page = titles({"etat": "everything", "quartier": "x", "territory__slug": "y", "is_published": "0"})
    assert all(title in page for title in ("Ouverte ici", "Ouverte ailleurs", "À venir ici", "Finie ici"))


def test_process_list_paginates_with_bounded_queries(
    client: Client, quartier: Territory, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(3):
        make_process_in_phase("collect", territory=quartier)
    with django_assert_max_num_queries(12):
        client.get(reverse("pages:process_list"))
    for _ in range(25):
        make_process_in_phase("collect", territory=quartier)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("pages:process_list"), {"etat": "open", "page": "2"})
    content = response.content.decode()
    assert 'aria-current="page"' in content
    assert "etat=open&amp;page=3" in content
    assert client.get(reverse("pages:process_list"), {"page": "999"}).status_code == 200


def test_process_page_shows_rules_before_contributing(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    process_in_phase: Callable[..., Process],
) -> None:
    process = process_in_phase("collect", falc_summary="La Ville demande votre avis.")
    url = reverse("pages:process", kwargs={"slug": process.slug})
    page = client_for(personas["resident"]).get(url).content.decode()
    for text in (process.rules_open, process.rules_closed, process.rules_decider, process.rules_use):
        assert text.replace("'", "&#x27;") in page
    assert "Version facile à lire" in page and "<details" in page
    assert "en cours" in page
    create_url = reverse("proposals:create", kwargs={"process_slug": process.slug})
    assert create_url in page
    assert page.index("Les règles du jeu") < page.index(create_url)
    assert reverse("proposals:list", kwargs={"process_slug": process.slug}) in page
    assert reverse("followup:process", kwargs={"slug": process.slug}) in page
    assert reverse("followup:timeline", kwargs={"slug": process.slug}) in page
    assert reverse("opendata:process_export", kwargs={"slug": process.slug, "name": "proposals", "fmt": "csv"}) in page
    anonymous = client_for(None).get(url).content.decode()
    assert create_url not in anonymous


def test_no_create_link_outside_collect(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    process_in_phase: Callable[..., Process],
) -> None:
    process = process_in_phase("analysis")
    page = client_for(personas["resident"]).get(reverse("pages:process", kwargs={"slug": process.slug})).content
    assert reverse("proposals:create", kwargs={"process_slug": process.slug}).encode() not in page


def test_territory_page(client: Client, quartier: Territory, city: Territory) -> None:
    quartier.is_priority_area = True
    quartier.population = 29000
    quartier.save()
    here = make_process_in_phase("collect", territory=quartier, title="Démarche du quartier")
    make_process_in_phase("collect", territory=city, title="Démarche de la ville")
    ProposalFactory.create(process=here, territory=quartier, title="Des arbres rue de Malakoff")
    ProposalFactory.create(process=here, territory=quartier, title="Retirée", is_withdrawn=True)
    CommitmentFactory.create(process=here, territory=quartier, title="Planter 30 arbres")
    page = client.get(reverse("pages:territory", kwargs={"slug": quartier.slug})).content.decode()
    assert "QPV" in page and "29" in page
    assert "Démarche du quartier" in page and "Démarche de la ville" in page
    assert "Des arbres rue de Malakoff" in page and "Retirée" not in page
    assert "Planter 30 arbres" in page
    assert '<th scope="col">' in page


def test_accessibility_statement(client: Client) -> None:
    page = client.get(reverse("pages:accessibility")).content.decode()
    assert "partiellement conforme" in page
    assert "RGAA" in page and "Défenseur des droits" in page and "axe-core" in page
