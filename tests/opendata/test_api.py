"""Read-only REST API: personas, published scope only, allowlisted filters, no personal data."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.answers.models import Answer
from apps.core.models import Process, Territory
from apps.opendata.api.views import PublicApiThrottle, PublicViewSet
from apps.proposals.models import Status
from tests.conftest import PERSONAS, Personas
from tests.factories import CommitmentFactory, ProposalFactory, UserFactory, make_answer
from tests.pages.helpers import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(process_in_phase: Callable[..., Process], quartier: Territory, other_quartier: Territory) -> dict[str, Any]:
    process = process_in_phase("analysis")
    author = UserFactory.create(email="awa.secret@example.org", display_name="Awa Secrète-Nom")
    accepted = ProposalFactory.create(process=process, author=author, status=Status.ACCEPTED, territory=quartier)
    make_answer(proposal=accepted, status=Status.UNDER_STUDY, body="À l'étude.")
    latest = make_answer(proposal=accepted, status=Status.ACCEPTED, body="Retenue, travaux en mai.")
    Answer.objects.filter(pk=latest.pk).update(created_at=timezone.now() + datetime.timedelta(minutes=1))
    other = ProposalFactory.create(process=process, territory=other_quartier, status=Status.RECEIVED)
    paper = ProposalFactory.create(
        process=process, author=None, is_paper=True, paper_author_name="Josiane Papier-Privé"
    )
    CommitmentFactory.create(process=process, title="Engagement public")
    hidden = draft(process_in_phase("collect", title="Démarche brouillon"))
    secret = ProposalFactory.create(process=hidden, title="PROPOSITION-BROUILLON")
    CommitmentFactory.create(process=hidden, title="ENGAGEMENT-BROUILLON")
    return {"process": process, "accepted": accepted, "other": other, "paper": paper, "draft": hidden, "secret": secret}


def urls(world: dict[str, Any]) -> list[str]:
    return [
        reverse("api:territory-list"),
        reverse("api:process-list"),
        reverse("api:process-detail", kwargs={"slug": world["process"].slug}),
        reverse("api:proposal-list"),
        reverse("api:proposal-detail", kwargs={"pk": world["accepted"].pk}),
        reverse("api:commitment-list"),
        reverse("api:schema"),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_for_every_persona(
    persona: str, personas: Personas, client_for: Callable[[User | None], Client], world: dict[str, Any]
) -> None:
    client = client_for(personas[persona])
    for url in urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for secret in (
            "PROPOSITION-BROUILLON",
            "ENGAGEMENT-BROUILLON",
            "Démarche brouillon",
            "@example.org",
            "Awa Secrète-Nom",
            "Josiane Papier-Privé",
        ):
            assert secret not in text, (url, secret)
    # Drafts do not exist for the API, whoever asks.
    assert client.get(reverse("api:process-detail", kwargs={"slug": world["draft"].slug})).status_code == 404
    assert client.get(reverse("api:proposal-detail", kwargs={"pk": world["secret"].pk})).status_code == 404
    # Read-only.
    assert client.post(reverse("api:proposal-list"), {}).status_code in {403, 405}


def test_proposal_filters_are_allowlisted(client: Client, world: dict[str, Any], quartier: Territory) -> None:
    url = reverse("api:proposal-list")

    def ids(query: dict[str, str]) -> set[int]:
        return {item["id"] for item in client.get(url, query).json()["results"]}

    assert ids({"status": "accepted"}) == {world["accepted"].pk}
    assert ids({"territory": quartier.slug}) == {world["accepted"].pk, world["paper"].pk}
    assert ids({"process": world["process"].slug}) == {world["accepted"].pk, world["other"].pk, world["paper"].pk}
    assert ids({"process": world["draft"].slug}) == set()
    assert client.get(url, {"status": "everything"}).status_code == 400
    # Arbitrary field lookups are ignored, never passed to the ORM.
    everything = ids({})
    assert ids({"author__email__startswith": "awa", "process__is_published": "False"}) == everything


def test_proposal_detail_has_current_answer(client: Client, world: dict[str, Any]) -> None:
    data = client.get(reverse("api:proposal-detail", kwargs={"pk": world["accepted"].pk})).json()
    assert data["current_answer"]["status"] == "accepted"
    assert "travaux en mai" in data["current_answer"]["body_html"]
    assert "author" not in data and "paper_author_name" not in data
    paper = client.get(reverse("api:proposal-detail", kwargs={"pk": world["paper"].pk})).json()
    assert paper["is_paper"] is True and paper["current_answer"] is None


def test_process_detail_has_rules_and_phases(client: Client, world: dict[str, Any]) -> None:
    data = client.get(reverse("api:process-detail", kwargs={"slug": world["process"].slug})).json()
    assert data["rules"]["open_to_debate"] == world["process"].rules_open
    assert data["rules"]["who_decides"] == world["process"].rules_decider
    assert [phase["kind"] for phase in data["phases"]] == ["collect", "support", "analysis", "followup"]
    assert [phase["is_current"] for phase in data["phases"]] == [False, False, True, False]
    assert data["state"] == "open"


def test_schema_is_openapi(client: Client) -> None:
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/proposals/" in schema["paths"]
    names = {param["name"] for param in schema["paths"]["/api/v1/proposals/"]["get"]["parameters"]}
    assert {"process", "territory", "status", "page"} <= names


def test_anonymous_use_is_throttled() -> None:
    assert PublicApiThrottle in PublicViewSet.throttle_classes
    assert PublicApiThrottle().rate == "300/min"


def test_throttle_answers_429(client: Client, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PublicApiThrottle, "rate", "2/min")
    url = reverse("api:territory-list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.parametrize("name", ["api:proposal-list", "api:process-list", "api:commitment-list", "api:territory-list"])
def test_list_queries_do_not_grow(
    name: str,
    client: Client,
    process_in_phase: Callable[..., Process],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    def grow() -> None:
        process = process_in_phase("followup")
        for _ in range(3):
            ProposalFactory.create(process=process)
            commitment = CommitmentFactory.create(process=process)
            commitment.updates.create(date=timezone.localdate(), body="Point", progress=10, state="in_progress")

    grow()
    with django_assert_max_num_queries(6):
        assert client.get(reverse(name)).status_code == 200
    for _ in range(4):
        grow()
    with django_assert_max_num_queries(6):
        assert client.get(reverse(name)).status_code == 200
