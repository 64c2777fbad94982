"""Open data page and streamed exports: every persona, every export, no personal data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from django.http import HttpResponseBase, StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.core.models import Process
from apps.core.registry import all_exports
from apps.proposals.models import InternalNote, Status
from tests.conftest import PERSONAS, Personas, body_of
from tests.factories import CommentFactory, CommitmentFactory, ProposalFactory, UserFactory, make_answer
from tests.pages.helpers import draft

pytestmark = pytest.mark.django_db

EXPORT_NAMES = {"proposals", "answers", "comments", "processes", "territories", "commitments", "commitment_updates"}


def body(response: HttpResponseBase) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return body_of(response).decode()


@pytest.fixture
def world(process_in_phase: Callable[..., Process], personas: Personas) -> dict[str, Process]:
    """A published process full of personal data that must not leak, and a draft."""
    process = process_in_phase("analysis")
    author = UserFactory.create(email="awa.secret@example.org", display_name="Awa Secrète-Nom")
    proposal = ProposalFactory.create(process=process, author=author, title="Des bancs publics", status=Status.ACCEPTED)
    paper = ProposalFactory.create(
        process=process,
        author=None,
        is_paper=True,
        paper_author_name="Josiane Papier-Privé",
        entered_by=personas["agent"],
        title="Contribution papier",
    )
    make_answer(
        proposal=proposal,
        status=Status.ACCEPTED,
        body="Retenue.",
        author=personas["agent"],
        signed_by="L'élue de quartier",
    )
    InternalNote.objects.create(proposal=proposal, author=personas["agent"], body="NOTE-INTERNE-CONFIDENTIELLE")
    commenter = UserFactory.create(email="bruno.secret@example.org", display_name="Bruno Commentateur-Privé")
    CommentFactory.create(proposal=proposal, author=commenter, body="Bonne idée")
    CommentFactory.create(
        proposal=paper, author=commenter, body="PROPOS-MASQUE", is_hidden=True, hidden_reason="insulte"
    )
    commitment = CommitmentFactory.create(process=process, title="Poser des bancs")
    commitment.updates.create(
        date=timezone.localdate(), body="Commande passée", progress=20, state="in_progress", author=personas["agent"]
    )
    hidden = draft(process_in_phase("collect", title="Démarche brouillon"))
    ProposalFactory.create(process=hidden, title="PROPOSITION-BROUILLON")
    CommitmentFactory.create(process=hidden, title="ENGAGEMENT-BROUILLON")
    return {"process": process, "draft": hidden}


SECRETS = (
    "awa.secret@example.org",
    "Awa Secrète-Nom",
    "bruno.secret@example.org",
    "Bruno Commentateur-Privé",
    "Josiane Papier-Privé",
    "NOTE-INTERNE-CONFIDENTIELLE",
    "PROPOS-MASQUE",
    "@example.org",
    "PROPOSITION-BROUILLON",
    "ENGAGEMENT-BROUILLON",
    "Démarche brouillon",
    "Awa Résidente",
)


def test_every_manifest_export_is_declared() -> None:
    assert {name for name, _spec in all_exports()} >= EXPORT_NAMES


@pytest.mark.parametrize("persona", PERSONAS)
def test_index_for_every_persona(
    persona: str, personas: Personas, client_for: Callable[[User | None], Client], world: dict[str, Process]
) -> None:
    response = client_for(personas[persona]).get(reverse("opendata:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in EXPORT_NAMES:
        assert reverse("opendata:export", kwargs={"name": name, "fmt": "csv"}) in page
        assert reverse("opendata:export", kwargs={"name": name, "fmt": "json"}) in page
    assert reverse("api:schema") in page
    assert "Démarche brouillon" not in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_exports_for_every_persona(
    persona: str, personas: Personas, client_for: Callable[[User | None], Client], world: dict[str, Process]
) -> None:
    client = client_for(personas[persona])
    slug = world["process"].slug
    for name in EXPORT_NAMES:
        for fmt in ("csv", "json"):
            response = client.get(reverse("opendata:export", kwargs={"name": name, "fmt": fmt}))
            assert response.status_code == 200
            assert isinstance(response, StreamingHttpResponse)
            scoped = client.get(reverse("opendata:process_export", kwargs={"slug": slug, "name": name, "fmt": fmt}))
            assert scoped.status_code == 200
            # A draft has no public data, even for the staff who manage it.
            unpublished = client.get(
                reverse("opendata:process_export", kwargs={"slug": world["draft"].slug, "name": name, "fmt": fmt})
            )
            assert unpublished.status_code == 404


def test_unknown_export_or_format_is_404(client: Client, world: dict[str, Process]) -> None:
    assert client.get("/donnees/export/users.csv").status_code == 404
    assert client.get("/donnees/export/proposals.xlsx").status_code == 404
    assert client.get(f"/donnees/d/{world['process'].slug}/internal_notes.json").status_code == 404
    assert client.get("/donnees/d/inconnue/proposals.csv").status_code == 404
    assert client.post("/donnees/export/proposals.csv").status_code == 405


def test_headers_and_formats(client: Client, world: dict[str, Process]) -> None:
    today = timezone.localdate().isoformat()
    response = client.get("/donnees/export/proposals.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="archipel-proposals-{today}.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert {row["title"] for row in rows} == {"Des bancs publics", "Contribution papier"}
    slug = world["process"].slug
    response = client.get(f"/donnees/d/{slug}/comments.json")
    assert response["Content-Type"].startswith("application/json")
    assert f'filename="archipel-{slug}-comments-{today}.json"' in response["Content-Disposition"]
    items = json.loads(body(response))
    assert len(items) == 2
    assert all(item["author"].startswith("p-") for item in items)
    assert {item["body"] for item in items} == {"Bonne idée", ""}


def test_no_personal_data_in_any_export(client: Client, world: dict[str, Process]) -> None:
    slug = world["process"].slug
    for name in EXPORT_NAMES:
        for fmt in ("csv", "json"):
            for url in (f"/donnees/export/{name}.{fmt}", f"/donnees/d/{slug}/{name}.{fmt}"):
                content = body(client.get(url))
                for secret in SECRETS:
                    assert secret not in content, (url, secret)


def test_empty_export_is_valid_json(client: Client) -> None:
    assert json.loads(body(client.get("/donnees/export/proposals.json"))) == []
    assert body(client.get("/donnees/export/proposals.csv")).startswith("id,process,title")


def test_export_queries_do_not_grow_with_rows(
    client: Client, process_in_phase: Callable[..., Process], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    process = process_in_phase("collect")
    ProposalFactory.create_batch(3, process=process)
    with django_assert_max_num_queries(6):
        body(client.get("/donnees/export/processes.csv"))
    for _ in range(5):
        ProposalFactory.create(process=process_in_phase("support"))
    with django_assert_max_num_queries(6):
        body(client.get("/donnees/export/processes.csv"))
    with django_assert_max_num_queries(6):
        body(client.get("/donnees/export/proposals.json"))
    with django_assert_max_num_queries(6):
        body(client.get("/donnees/export/commitments.json"))
