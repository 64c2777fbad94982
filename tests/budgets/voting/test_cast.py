"""Eligibility, casting and changing a ballot, freezing the rules, closing the vote."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import account_delete, account_export_data
from apps.budgets.models import Ballot, BallotChoice, Budget, Envelope, VoterRecord
from apps.budgets.voting import ballots, rules, services
from apps.core.models import AuditLogEntry, Territory
from tests.budgets.voting.factories import move_to
from tests.factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _first(envelope: Envelope, n: int = 1) -> dict[int, int]:
    return dict.fromkeys([p.pk for p in ballots.ballot_projects(envelope)][:n], 1)


# --- eligibility ------------------------------------------------------------------------------


def test_a_resident_votes_in_the_city_and_in_their_quartier(
    budget: Budget, voter: User, city_envelope: Envelope, quartier_envelope: Envelope, other_quartier: Territory
) -> None:
    assert rules.eligible_envelopes(voter, budget) == [city_envelope, quartier_envelope] or set(
        rules.eligible_envelopes(voter, budget)
    ) == {city_envelope, quartier_envelope}
    assert rules.can_vote(voter, city_envelope)
    assert rules.can_vote(voter, quartier_envelope)
    neighbour = UserFactory.create(home_territory=other_quartier, birth_date=datetime.date(1990, 1, 1))
    assert rules.eligible_envelopes(neighbour, budget) == [city_envelope]
    assert rules.ineligibility_reason(neighbour, quartier_envelope) == (
        "Vous votez pour les projets de votre quartier de résidence, pas pour ceux de ce quartier."
    )


def test_a_micro_quartier_counts_as_its_quartier(
    budget: Budget, quartier: Territory, quartier_envelope: Envelope
) -> None:
    micro = TerritoryFactory.create(kind="micro", parent=quartier, slug="micro-test")
    person = UserFactory.create(home_territory=micro, birth_date=datetime.date(1990, 1, 1))
    assert rules.can_vote(person, quartier_envelope)


def test_eligibility_rules(budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User]) -> None:
    nowhere = make_voter(home_territory=None)
    assert "réservé aux habitantes et habitants" in (rules.ineligibility_reason(nowhere, city_envelope) or "")
    budget.residents_only = False
    assert rules.can_vote(nowhere, city_envelope)
    budget.residents_only = True

    young = make_voter(birth_date=timezone.localdate() - datetime.timedelta(days=365 * 15))
    assert rules.ineligibility_reason(young, city_envelope) == "Ce vote est ouvert à partir de 16 ans."

    budget.required_verification = "verified"
    person = make_voter()
    assert "compte vérifié" in (rules.ineligibility_reason(person, city_envelope) or "")
    person.verification = "verified"
    assert rules.can_vote(person, city_envelope)


def test_no_vote_outside_the_vote_phase(budget: Budget, voter: User, city_envelope: Envelope) -> None:
    move_to(budget.process, "analysis")
    assert rules.ineligibility_reason(voter, city_envelope) == "Le vote n'est pas ouvert."
    move_to(budget.process, "results")
    assert rules.ineligibility_reason(voter, city_envelope) == "Le vote est terminé."
    with pytest.raises(PermissionDenied):
        services.ballot_cast(user=voter, envelope=city_envelope, choices=_first(city_envelope))


# --- cast, change, freeze -------------------------------------------------------------------


def test_cast_then_change_keeps_one_record_and_one_ballot(budget: Budget, voter: User, city_envelope: Envelope) -> None:
    assert not rules.rules_frozen(budget)
    first = services.ballot_cast(user=voter, envelope=city_envelope, choices=_first(city_envelope, 2))
    assert rules.rules_frozen(budget)
    frozen_at = Budget.objects.get(pk=budget.pk).rules_frozen_at
    second = services.ballot_cast(user=voter, envelope=city_envelope, choices=_first(city_envelope, 1))
    assert VoterRecord.objects.filter(envelope=city_envelope).count() == 1
    assert Ballot.objects.filter(envelope=city_envelope).count() == 1
    assert first.pk == second.pk and first.receipt != second.receipt
    assert set(BallotChoice.objects.filter(ballot=second).values_list("project_id", flat=True)) == set(
        _first(city_envelope, 1)
    )
    current = services.current_ballot(voter, city_envelope)
    assert current is not None
    assert services.ballot_content(current) == _first(city_envelope, 1)
    # The first ballot froze the rules; later ones do not move the date.
    assert Budget.objects.get(pk=budget.pk).rules_frozen_at == frozen_at
    record = VoterRecord.objects.get(envelope=city_envelope)
    assert record.user == voter and record.channel == "online" and record.territory == voter.home_territory


def test_a_ballot_holds_no_person_and_no_time() -> None:
    fields = {field.name for field in Ballot._meta.get_fields()}
    assert fields == {"id", "envelope", "locator", "receipt", "choices"}
    assert {f.name for f in BallotChoice._meta.get_fields()} == {"id", "ballot", "project", "points", "rank"}


def test_invalid_choices_are_refused_by_the_service(budget: Budget, voter: User, city_envelope: Envelope) -> None:
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(user=voter, envelope=city_envelope, choices=_first(city_envelope, 4))
    assert "3 projets au plus" in error.value.messages[0]
    assert not VoterRecord.objects.exists() and not Ballot.objects.exists()
    assert not rules.rules_frozen(budget)


def test_birth_date_is_asked_and_stored(
    budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    person = make_voter(birth_date=None)
    assert rules.needs_birth_date(person, budget)
    with pytest.raises(ValidationError):
        services.ballot_cast(user=person, envelope=city_envelope, choices=_first(city_envelope))
    with pytest.raises(PermissionDenied):
        services.ballot_cast(
            user=person, envelope=city_envelope, choices=_first(city_envelope), birth_date=timezone.localdate()
        )
    person.refresh_from_db()
    assert person.birth_date is None  # refused: nothing stored
    services.ballot_cast(
        user=person, envelope=city_envelope, choices=_first(city_envelope), birth_date=datetime.date(2000, 2, 29)
    )
    person.refresh_from_db()
    assert person.birth_date == datetime.date(2000, 2, 29)


# --- close: locators erased, order shuffled ---------------------------------------------------


def test_close_erases_every_locator_and_keeps_the_ballots(
    budget: Budget, city_envelope: Envelope, quartier_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    voters = [make_voter() for _ in range(6)]
    for index, person in enumerate(voters):
        services.ballot_cast(user=person, envelope=city_envelope, choices=_first(city_envelope, 1 + index % 3))
        services.ballot_cast(user=person, envelope=quartier_envelope, choices=_first(quartier_envelope))
    receipts = set(Ballot.objects.values_list("receipt", flat=True))
    contents = sorted(
        sorted(b.choices.values_list("project_id", flat=True)) for b in Ballot.objects.prefetch_related("choices")
    )
    assert services.vote_close(budget=budget) is False  # still open: nothing happens
    move_to(budget.process, "results")
    budget.process.refresh_from_db()
    assert services.vote_close(budget=budget) is True
    assert services.vote_close(budget=budget) is False  # idempotent
    assert Ballot.objects.filter(locator__isnull=False).count() == 0
    assert Budget.objects.get(pk=budget.pk).locators_erased_at is not None
    # Same ballots (receipts and contents), new rows.
    assert set(Ballot.objects.values_list("receipt", flat=True)) == receipts
    assert (
        sorted(
            sorted(b.choices.values_list("project_id", flat=True)) for b in Ballot.objects.prefetch_related("choices")
        )
        == contents
    )
    # No query can link a person to a ballot: the only bridge is gone, and no ballot column
    # other than the envelope is shared with the voter records.
    for person in voters:
        assert services.current_ballot(person, city_envelope) is None
        locator = services.ballot_locator(city_envelope, person)
        assert not Ballot.objects.filter(locator=locator).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM budgets_ballot WHERE locator IS NOT NULL")
        assert cursor.fetchone()[0] == 0
    assert VoterRecord.objects.filter(envelope=city_envelope).count() == 6
    assert AuditLogEntry.objects.filter(action="budget.vote_closed").count() == 1


def test_the_periodic_task_closes_ended_votes(budget: Budget, voter: User, city_envelope: Envelope) -> None:
    from apps.budgets.voting.tasks import close_ended_budget_votes

    services.ballot_cast(user=voter, envelope=city_envelope, choices=_first(city_envelope))
    move_to(budget.process, "results")
    close_ended_budget_votes.call_local()
    assert Budget.objects.get(pk=budget.pk).locators_erased_at is not None
    assert not Ballot.objects.filter(locator__isnull=False).exists()


# --- RGPD ---------------------------------------------------------------------------------------


def test_export_says_a_vote_happened_not_what(budget: Budget, voter: User, city_envelope: Envelope) -> None:
    chosen = _first(city_envelope, 2)
    services.ballot_cast(user=voter, envelope=city_envelope, choices=chosen)
    move_to(budget.process, "results")
    services.vote_close(budget=budget)
    data = account_export_data(voter)
    assert data["budget_votes"] == [
        {
            "budget": budget.process.title,
            "envelope": "Toute la ville",
            "voted": True,
            "channel": "online",
            "voted_on": data["budget_votes"][0]["voted_on"],
        }
    ]
    text = str(data)
    for project in ballots.ballot_projects(city_envelope):
        assert project.title not in text
    assert Ballot.objects.get().receipt not in text


def test_deleting_an_account_keeps_the_turnout_without_the_link(
    budget: Budget, voter: User, city_envelope: Envelope
) -> None:
    services.ballot_cast(user=voter, envelope=city_envelope, choices=_first(city_envelope))
    account_delete(user=voter)
    record = VoterRecord.objects.get(envelope=city_envelope)
    assert record.user is None and len(record.paper_identity) == 64
    assert Ballot.objects.count() == 1
