"""Paper ballots: blind double entry by two agents, disputes, void sheets, one vote per person."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import User
from apps.budgets.models import Ballot, Budget, Envelope, PaperSheet, VoterRecord
from apps.budgets.voting import ballots, paper
from apps.core.models import AuditLogEntry
from tests.conftest import Personas
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
BORN = datetime.date(1948, 11, 2)


@pytest.fixture
def agents(budget: Budget) -> list[User]:
    people = []
    for name in ("Agathe", "Bernard", "Chloé"):
        user = UserFactory.create(display_name=name)
        RoleFactory.create(user=user, role="agent", process=budget.process)
        people.append(user)
    return people


def _pks(envelope: Envelope) -> list[int]:
    return [p.pk for p in ballots.ballot_projects(envelope)]


def test_matching_entries_count_the_sheet(budget: Budget, city_envelope: Envelope, agents: list[User]) -> None:
    first, second, _third = agents
    a, b, *_ = _pks(city_envelope)
    sheet = paper.paper_first_entry(
        agent=first,
        envelope=city_envelope,
        number="0042",
        choices={a: 1, b: 1},
        voter_name="Éloïse Durand",
        voter_birth_date=BORN,
    )
    assert sheet.state == PaperSheet.State.FIRST_ENTRY
    assert "Durand" not in str(sheet.first_entry) and "eloise" not in str(sheet.first_entry).lower()
    with pytest.raises(PermissionDenied):
        paper.paper_second_entry(
            agent=first, sheet=sheet, choices={a: 1, b: 1}, voter_name="Éloïse Durand", voter_birth_date=BORN
        )
    # Accents, case and hyphens do not matter for the identity.
    sheet = paper.paper_second_entry(
        agent=second, sheet=sheet, choices={b: 1, a: 1}, voter_name="eloise  DURAND", voter_birth_date=BORN
    )
    assert sheet.state == PaperSheet.State.CONFIRMED
    ballot = Ballot.objects.get()
    assert ballot.locator is None
    assert set(ballot.choices.values_list("project_id", flat=True)) == {a, b}
    record = VoterRecord.objects.get()
    assert record.channel == "paper" and record.user is None and len(record.paper_identity) == 64
    # The counted sheet holds neither the voter's digest nor the choices (issue 8, item 3).
    stored = PaperSheet.objects.values("first_entry", "second_entry").get()
    assert stored == {"first_entry": {}, "second_entry": None}
    assert list(AuditLogEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "budget.paper_first_entry",
        "budget.paper_confirmed",
    ]
    # The same person cannot vote a second time on paper.
    with pytest.raises(ValidationError):
        paper.paper_first_entry(
            agent=first,
            envelope=city_envelope,
            number="0043",
            choices={a: 1},
            voter_name="Eloise Durand",
            voter_birth_date=BORN,
        )


def test_different_entries_are_disputed_then_resolved_by_another_agent(
    budget: Budget, city_envelope: Envelope, agents: list[User]
) -> None:
    first, second, third = agents
    a, _b, c, _d = _pks(city_envelope)
    sheet = paper.paper_first_entry(
        agent=first, envelope=city_envelope, number="7", choices={a: 1}, voter_name="Paul Roux", voter_birth_date=BORN
    )
    sheet = paper.paper_second_entry(
        agent=second, sheet=sheet, choices={c: 1}, voter_name="Paul Roux", voter_birth_date=BORN
    )
    assert sheet.state == PaperSheet.State.DISPUTED
    assert paper.entries_differences(sheet) == {"choices": True, "identity": False}
    assert not Ballot.objects.exists() and not VoterRecord.objects.exists()
    with pytest.raises(PermissionDenied):
        paper.paper_resolve(agent=first, sheet=sheet, choices={a: 1}, voter_name="Paul Roux", voter_birth_date=BORN)
    sheet = paper.paper_resolve(agent=third, sheet=sheet, choices={a: 1}, voter_name="Paul Roux", voter_birth_date=BORN)
    assert sheet.state == PaperSheet.State.CONFIRMED
    assert list(Ballot.objects.get().choices.values_list("project_id", flat=True)) == [a]
    assert AuditLogEntry.objects.filter(action="budget.paper_resolved", actor=third).count() == 1


def test_void_sheets_and_invalid_entries(budget: Budget, city_envelope: Envelope, agents: list[User]) -> None:
    first, second, _third = agents
    pks = _pks(city_envelope)
    with pytest.raises(ValidationError):  # four projects on a three-project ballot
        paper.paper_first_entry(
            agent=first,
            envelope=city_envelope,
            number="9",
            choices=dict.fromkeys(pks, 1),
            voter_name="A B",
            voter_birth_date=BORN,
        )
    sheet = paper.paper_void(agent=first, envelope=city_envelope, number="9", reason="Quatre projets cochés")
    assert sheet.state == PaperSheet.State.VOID and sheet.void_reason == "Quatre projets cochés"
    with pytest.raises(ValidationError):
        paper.paper_void(agent=first, envelope=city_envelope, number="10", reason="  ")
    sheet = paper.paper_first_entry(
        agent=first, envelope=city_envelope, number="11", choices={pks[0]: 1}, voter_name="C D", voter_birth_date=BORN
    )
    paper.paper_second_entry(agent=second, sheet=sheet, choices={pks[0]: 1}, voter_name="C D", voter_birth_date=BORN)
    with pytest.raises(ValidationError):
        paper.paper_void(agent=first, envelope=city_envelope, number="11", reason="Trop tard")
    with pytest.raises(ValidationError):  # a number is typed once per envelope
        paper.paper_first_entry(
            agent=first,
            envelope=city_envelope,
            number="11",
            choices={pks[0]: 1},
            voter_name="E F",
            voter_birth_date=BORN,
        )


def test_only_agents_of_the_process_enter_paper(budget: Budget, city_envelope: Envelope, personas: Personas) -> None:
    a = _pks(city_envelope)[0]
    for persona in ("resident", "elu", "moderator", "admin_elsewhere"):
        with pytest.raises(PermissionDenied):
            paper.paper_first_entry(
                agent=personas[persona],
                envelope=city_envelope,
                number="1",
                choices={a: 1},
                voter_name="X Y",
                voter_birth_date=BORN,
            )
