"""The back office that guides: the « À faire » inbox, the search across modules and the left
navigation. Each line and hit comes from a module's manifest and stays in the person's scope."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Process, Territory
from apps.core.registry import todo_items
from apps.followup.models import Commitment
from apps.petitions.models import Petition
from tests.conftest import Personas
from tests.factories import CommitmentFactory, ProposalFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[User | None], Client]


def _late(process: Process, days: int = 3) -> Process:
    process.answer_due = timezone.localdate() - datetime.timedelta(days=days)
    process.save(update_fields=["answer_due"])
    return process


def test_overdue_answers_and_commitments_come_first_and_only_in_scope(
    process_in_phase: Callable[..., Process], personas: Personas, other_quartier: Territory, client_for: Clients
) -> None:
    process = _late(process_in_phase("collect"))
    ProposalFactory.create(process=process, author=personas["resident"], title="Bancs place Viarme")
    ProposalFactory.create(process=process, author=personas["other_resident"])
    CommitmentFactory.create(
        process=process,
        title="Planter vingt arbres",
        planned_date=timezone.localdate() - datetime.timedelta(days=40),
        state=Commitment.State.IN_PROGRESS,
    )
    CommitmentFactory.create(process=process, planned_date=timezone.localdate() + datetime.timedelta(days=40))

    lines = [item for _manifest, item in todo_items(personas["agent"])]
    labels = [item.label for item in lines]
    assert any(label.startswith("2 propositions attendent une réponse") for label in labels)
    assert any(label.startswith("1 engagement en retard") for label in labels)
    assert all(item.overdue for item in lines[:2])  # both overdue, the oldest commitment first
    assert lines[0].label.startswith("1 engagement en retard")
    assert todo_items(personas["admin_elsewhere"]) == []  # another quartier's administrator
    assert todo_items(personas["resident"]) == []

    page = client_for(personas["agent"]).get(reverse("backoffice:todo"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 propositions attendent une réponse argumentée" in html
    assert reverse("proposals_admin:instruction", args=[process.pk]) in html
    assert "en retard depuis le" in html


def test_an_answer_due_far_away_is_not_yet_a_task(process_in_phase: Callable[..., Process], personas: Personas) -> None:
    process = process_in_phase("collect")  # answer due in 120 days
    ProposalFactory.create(process=process, author=personas["resident"])
    assert not any("proposition" in item.label for _m, item in todo_items(personas["agent"]))
    process.answer_due = timezone.localdate() + datetime.timedelta(days=10)
    process.save(update_fields=["answer_due"])
    due = [item for _m, item in todo_items(personas["agent"]) if "proposition" in item.label]
    assert len(due) == 1 and not due[0].overdue and due[0].due == process.answer_due


def test_reports_and_petitions_reach_the_moderator_only(
    process_in_phase: Callable[..., Process], personas: Personas, quartier: Territory
) -> None:
    from apps.discussion.models import Report
    from tests.factories import CommentFactory, UserFactory

    process = process_in_phase("collect")
    proposal = ProposalFactory.create(process=process, author=personas["resident"])
    comment = CommentFactory.create(proposal=proposal, author=personas["other_resident"])
    Report.objects.create(comment=comment, reporter=UserFactory.create(), reason="Insulte")
    Petition.objects.create(
        title="Sauvons le square",
        body="Texte.",
        recipient="le maire",
        territory=quartier,
        author=personas["resident"],
        process=process,
        threshold=50,
        verification="email",
        duration_days=30,
        answer_days=30,
    )
    moderator = [item.label for _m, item in todo_items(personas["moderator"])]
    assert "1 commentaire signalé à examiner" in moderator
    assert "1 pétition à modérer" in moderator
    agent = [item.label for _m, item in todo_items(personas["agent"])]
    assert "1 pétition à modérer" not in agent


def test_search_finds_what_the_person_may_see_and_nothing_else(
    process_in_phase: Callable[..., Process], personas: Personas, other_quartier: Territory, client_for: Clients
) -> None:
    process = process_in_phase("collect")
    ProposalFactory.create(process=process, author=personas["resident"], title="Des vélos pour l'école")
    elsewhere = process_in_phase("collect", territory=other_quartier)
    ProposalFactory.create(process=elsewhere, author=personas["resident"], title="Des vélos au port")

    html = client_for(personas["agent"]).get(reverse("backoffice:search"), {"q": "velo"}).content.decode()
    assert "Des vélos pour l&#x27;école" in html
    assert "Des vélos au port" not in html
    other = client_for(personas["admin_elsewhere"]).get(reverse("backoffice:search"), {"q": "velo"}).content.decode()
    assert "Des vélos au port" in other  # the administrator of the other quartier instructs there
    assert "Des vélos pour" not in other
    nothing = client_for(personas["agent"]).get(reverse("backoffice:search"), {"q": "introuvable"})
    assert "Aucun résultat pour « introuvable »" in nothing.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("v", "Tapez au moins deux caractères."),
        ("x" * 101, "au plus 100 caractères"),
    ],
)
def test_bad_search_gets_a_french_error_and_keeps_what_was_typed(
    personas: Personas, client_for: Clients, query: str, message: str
) -> None:
    response = client_for(personas["agent"]).get(reverse("backoffice:search"), {"q": query})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'value="{query}"' in html


def test_left_navigation_on_backoffice_pages_for_staff_only(
    personas: Personas, client_for: Clients, process_in_phase: Callable[..., Process]
) -> None:
    agent = client_for(personas["agent"])
    html = agent.get(reverse("backoffice:dashboard")).content.decode()
    assert 'class="bo-sidenav"' in html
    assert f'href="{reverse("sortition_admin:list")}"' in html  # a module's entry, from its manifest
    assert f'href="{reverse("backoffice:todo")}"' in html
    assert 'class="bo-sidenav"' not in agent.get(reverse("pages:home")).content.decode()
    denied = client_for(personas["resident"]).get(reverse("backoffice:dashboard"))
    assert denied.status_code == 403
    assert 'class="bo-sidenav"' not in denied.content.decode()


def test_dashboard_counts_and_commitments_chart(
    process_in_phase: Callable[..., Process], personas: Personas, client_for: Clients
) -> None:
    process = _late(process_in_phase("collect"))
    ProposalFactory.create(process=process, author=personas["resident"])
    CommitmentFactory.create(
        process=process, planned_date=timezone.localdate() - datetime.timedelta(days=1), state=Commitment.State.PLANNED
    )
    CommitmentFactory.create(process=process, state=Commitment.State.DONE)
    html = client_for(personas["agent"]).get(reverse("backoffice:dashboard")).content.decode()
    assert '<span class="stat-value">2</span>' in html  # two lines waiting, both overdue
    assert "Engagements par état" in html
    labels = html.replace("\u202f", " ").replace("\u00a0", " ")  # French typography before the colon
    assert "<li>Dont en retard : 1</li>" in labels
    assert "<li>Réalisé : 1</li>" in labels
