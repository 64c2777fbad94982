"""Public follow-up (droit de suite): permissions, filters, overdue, timeline, query budgets."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, Settings

from apps.accounts.models import User
from apps.core.models import Process, Territory
from apps.followup.models import Commitment, CommitmentUpdate
from apps.proposals.models import Proposal, Status
from apps.proposals.services import commitment_from_proposal
from tests.conftest import PERSONAS, Personas
from tests.factories import CommitmentFactory, ProcessFactory, ProposalFactory, ServiceFactory, make_answer


@pytest.fixture
def published(process_in_phase: Callable[..., Process], personas: Personas) -> tuple[Process, Proposal, Commitment]:
    process = process_in_phase("analysis")
    proposal = ProposalFactory.create(process=process, title="Des bancs au square")
    make_answer(proposal=proposal, status=Status.ACCEPTED, body="Retenue : bancs posés au printemps.")
    proposal.status = Status.ACCEPTED
    proposal.save()
    commitment = commitment_from_proposal(actor=personas["agent"], proposal=proposal)
    CommitmentUpdate.objects.create(
        commitment=commitment, date=timezone.localdate(), body="Commande passée.", progress=30, state="in_progress"
    )
    return process, proposal, commitment


def _urls(process: Process, commitment: Commitment) -> list[str]:
    return [
        reverse("followup:index"),
        reverse("followup:process", kwargs={"slug": process.slug}),
        reverse("followup:timeline", kwargs={"slug": process.slug}),
        reverse("followup:commitment", kwargs={"pk": commitment.pk}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_open_to_every_persona(
    published: tuple[Process, Proposal, Commitment],
    personas: Personas,
    client_for: Callable[[User | None], Client],
    persona: str,
) -> None:
    process, _proposal, commitment = published
    for url in _urls(process, commitment):
        response = client_for(personas[persona]).get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_unpublished_process_is_hidden(
    personas: Personas, client_for: Callable[[User | None], Client], quartier: Territory, persona: str
) -> None:
    """A draft's follow-up is a preview for the staff of its quartier, a 404 for everyone else."""
    process = ProcessFactory.create(territory=quartier, is_published=False)
    commitment = CommitmentFactory.create(process=process, title="Secret")
    client = client_for(personas[persona])
    expected = 200 if persona in {"agent", "elu", "moderator"} else 404
    for url in _urls(process, commitment)[1:]:
        assert client.get(url).status_code == expected
    assert "Secret" not in client.get(reverse("followup:index")).content.decode()


@pytest.mark.django_db
def test_index_filters_overdue_badge_and_label(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    quartier: Territory,
    other_quartier: Territory,
) -> None:
    with time_machine.travel(datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC), tick=False):
        process = ProcessFactory.create(territory=quartier)
        CommitmentFactory.create(
            process=process,
            territory=quartier,
            title="Jardin partagé",
            planned_date=datetime.date(2026, 6, 1),
            state="in_progress",
            progress=60,
            made_with_residents=True,
        )
        CommitmentFactory.create(
            process=process,
            territory=other_quartier,
            title="Piste cyclable",
            planned_date=datetime.date(2026, 6, 1),
            state="done",
            progress=100,
        )
        CommitmentFactory.create(
            process=process, territory=quartier, title="Fontaine", planned_date=datetime.date(2027, 1, 1)
        )
        client = client_for(None)
        url = reverse("followup:index")
        page = client.get(url).content.decode()
        jardin = page[page.index("Jardin partagé") : page.index("Jardin partagé") + 1500]
        assert "En retard" in jardin and "Fait avec les habitants" in jardin
        assert re.search(r'<progress[^>]*value="60"', jardin) and "60 % réalisé" in jardin

        def titles(params: dict[str, str]) -> set[str]:
            return {c.title for c in client.get(url, params).context["page_obj"].object_list}

        assert titles({"etat": "retard"}) == {"Jardin partagé"}  # done is never overdue
        assert titles({"etat": "done"}) == {"Piste cyclable"}
        assert titles({"quartier": quartier.slug}) == {"Jardin partagé", "Fontaine"}
        # Values outside the allowlist are ignored rather than used as filters.
        assert len(titles({"quartier": "nulle-part", "etat": "process__title"})) == 3
    with time_machine.travel(datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC), tick=False):
        assert not Commitment.objects.get(title="Jardin partagé").is_overdue
        assert client.get(url, {"etat": "retard"}).context["page_obj"].paginator.count == 0


@pytest.mark.django_db
def test_process_page_counts_and_source(
    published: tuple[Process, Proposal, Commitment], client_for: Callable[[User | None], Client]
) -> None:
    process, proposal, _commitment = published
    ProposalFactory.create(process=process)  # received, not answered
    response = client_for(None).get(reverse("followup:process", kwargs={"slug": process.slug}))
    assert response.context["counts"] == {"received": 2, "answered": 1, "accepted": 1, "done": 0}
    content = response.content.decode()
    assert reverse("proposals:detail", kwargs={"pk": proposal.pk}) in content
    assert "Commande passée." in content
    assert f'Proposition <a href="{proposal.get_absolute_url()}">' in content


@pytest.mark.django_db
def test_the_origin_names_the_kind_of_source(
    published: tuple[Process, Proposal, Commitment], client_for: Callable[[User | None], Client]
) -> None:
    # Any object can be a commitment's source (a budget project, a recommendation…): the page
    # names its kind by its model, not « Proposition » for everything.
    process, _proposal, _commitment = published
    other = ProcessFactory.create(title="Démarche d'origine")
    CommitmentFactory.create(process=process, title="Suite d'une démarche", source=other)
    content = client_for(None).get(reverse("followup:process", kwargs={"slug": process.slug})).content.decode()
    assert f'Démarche participative <a href="{other.get_absolute_url()}">Démarche d&#x27;origine</a>' in content


@pytest.mark.django_db
def test_timeline_is_chronological(
    published: tuple[Process, Proposal, Commitment], client_for: Callable[[User | None], Client]
) -> None:
    process, _proposal, _commitment = published
    response = client_for(None).get(reverse("followup:timeline", kwargs={"slug": process.slug}))
    events = list(response.context["page_obj"].object_list)
    assert [e.sort_key for e in events] == sorted(e.sort_key for e in events)
    kinds = [e.kind for e in events]
    assert {"phase_start", "phase_end", "answer", "commitment", "update"} <= set(kinds)
    assert kinds[0] == "phase_start"
    content = response.content.decode()
    assert '<ol class="timeline">' in content
    assert f'<time datetime="{timezone.localdate().isoformat()}">' in content


@pytest.mark.django_db
def test_commitment_detail_photo_alt_and_source(
    published: tuple[Process, Proposal, Commitment],
    client_for: Callable[[User | None], Client],
    settings: Settings,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    _process, proposal, commitment = published
    CommitmentUpdate.objects.create(
        commitment=commitment,
        date=timezone.localdate() + datetime.timedelta(days=1),
        body="Bancs posés.",
        progress=100,
        state="done",
        photo="commitments/bancs.png",
        photo_alt="Trois bancs neufs sous les tilleuls",
    )
    content = client_for(None).get(reverse("followup:commitment", kwargs={"pk": commitment.pk})).content.decode()
    assert 'alt="Trois bancs neufs sous les tilleuls"' in content
    assert reverse("proposals:detail", kwargs={"pk": proposal.pk}) in content
    assert content.index("Bancs posés.") < content.index("Commande passée.")  # newest update first


def _commitments(process: Process, count: int) -> None:
    service = ServiceFactory.create()
    for proposal in ProposalFactory.create_batch(count, process=process):
        commitment = Commitment.objects.create(
            process=process,
            territory=process.territory,
            title=proposal.title,
            service=service,
            source=proposal,
            planned_date=datetime.date(2026, 1, 1),
        )
        CommitmentUpdate.objects.create(
            commitment=commitment, date=datetime.date(2026, 1, 2), body="x", progress=5, state="in_progress"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["index", "process", "timeline"])
def test_query_count_does_not_grow(
    published: tuple[Process, Proposal, Commitment],
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
    page: str,
) -> None:
    process, _proposal, _commitment = published
    url = reverse("followup:index") if page == "index" else reverse(f"followup:{page}", kwargs={"slug": process.slug})
    client = client_for(None)
    _commitments(process, 9)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _commitments(process, 50)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
