"""One quartier envelope per person and budget, fixed at the first ballot (issue 8, item 2).

The attack: vote in Malakoff, change one's home quartier in the profile, vote again in
Bellevue. Refused by the rules (service and page) and by the database (one voter record per
person, budget and scope), also when the two ballots race on PostgreSQL."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.budgets.models import Ballot, Budget, Envelope, VoterRecord
from apps.budgets.voting import ballots, rules, selectors, services
from apps.core.models import Territory
from tests.budgets.voting.factories import EnvelopeFactory, ProjectFactory, make_vote_budget, move_to
from tests.factories import UserFactory

LOCKED = "reste attaché au quartier"


def _with_second_quartier(budget: Budget, other_quartier: Territory) -> Envelope:
    envelope = EnvelopeFactory.create(budget=budget, territory=other_quartier, amount=40_000)
    ProjectFactory.create(
        envelope=envelope, budget=budget, estimated_cost=10_000, ballot_number=50, title="Projet Bellevue"
    )
    return envelope


def _first(envelope: Envelope) -> dict[int, int]:
    return {ballots.ballot_projects(envelope)[0].pk: 1}


def _move(user: User, territory: Territory) -> User:
    """The person changes their home quartier in the profile (a fresh object, as a new request)."""
    User.objects.filter(pk=user.pk).update(home_territory=territory)
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_a_quartier_ballot_fixes_the_quartier(
    budget: Budget, quartier_envelope: Envelope, other_quartier: Territory, voter: User
) -> None:
    bellevue = _with_second_quartier(budget, other_quartier)
    services.ballot_cast(user=voter, envelope=quartier_envelope, choices=_first(quartier_envelope))
    moved = _move(voter, other_quartier)
    bellevue.budget = budget
    assert LOCKED in (rules.ineligibility_reason(moved, bellevue) or "")
    with pytest.raises(PermissionDenied):
        services.ballot_cast(user=moved, envelope=bellevue, choices=_first(bellevue))
    assert VoterRecord.objects.filter(user=voter, scope="quartier").count() == 1
    assert not Ballot.objects.filter(envelope=bellevue).exists()
    # The fixed quartier still counts: the person can change their Malakoff ballot.
    assert {e.territory_id for e in rules.eligible_envelopes(moved, budget)} == {None, quartier_envelope.territory_id}
    assert rules.ineligibility_reason(moved, quartier_envelope) is None


@pytest.mark.django_db
def test_a_city_wide_ballot_fixes_the_quartier_declared_then(
    budget: Budget, city_envelope: Envelope, quartier_envelope: Envelope, other_quartier: Territory, voter: User
) -> None:
    bellevue = _with_second_quartier(budget, other_quartier)
    services.ballot_cast(user=voter, envelope=city_envelope, choices=_first(city_envelope))
    moved = _move(voter, other_quartier)
    with pytest.raises(PermissionDenied):
        services.ballot_cast(user=moved, envelope=bellevue, choices=_first(bellevue))
    services.ballot_cast(user=moved, envelope=quartier_envelope, choices=_first(quartier_envelope))
    assert VoterRecord.objects.get(user=voter, scope="quartier").envelope == quartier_envelope


@pytest.mark.django_db
def test_the_database_refuses_a_second_quartier_record(
    budget: Budget, quartier_envelope: Envelope, other_quartier: Territory, voter: User
) -> None:
    bellevue = _with_second_quartier(budget, other_quartier)
    VoterRecord.objects.create(budget=budget, scope="quartier", envelope=quartier_envelope, user=voter)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterRecord.objects.create(budget=budget, scope="quartier", envelope=bellevue, user=voter)


@pytest.mark.django_db
def test_the_ballot_page_refuses_the_new_quartier(
    budget: Budget,
    quartier_envelope: Envelope,
    other_quartier: Territory,
    voter: User,
    client_for: Callable[[User | None], Client],
) -> None:
    bellevue = _with_second_quartier(budget, other_quartier)
    client = client_for(voter)
    url = reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": quartier_envelope.pk})
    pk = next(iter(_first(quartier_envelope)))
    assert client.post(url, {"action": "confirm", "projets": [pk], "remplace": ""}).status_code == 302
    _move(voter, other_quartier)
    url = reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": bellevue.pk})
    page = client.get(url)
    assert page.status_code == 403 and LOCKED in page.content.decode()
    pk = next(iter(_first(bellevue)))
    page = client.post(url, {"action": "confirm", "projets": [pk], "remplace": ""})
    assert page.status_code == 403 and LOCKED in page.content.decode()
    assert not Ballot.objects.filter(envelope=bellevue).exists()
    home = client.get(reverse("budgets:vote", kwargs={"slug": budget.process.slug})).content.decode()
    assert "Malakoff" in home and "Voter : Bellevue" not in home


@pytest.mark.django_db
def test_the_profile_notice_names_the_fixed_quartier(
    budget: Budget, quartier_envelope: Envelope, quartier: Territory, voter: User
) -> None:
    assert selectors.quartier_locked_for(voter) == []
    assert selectors.quartier_change_notice(voter) is None
    services.ballot_cast(user=voter, envelope=quartier_envelope, choices=_first(quartier_envelope))
    locks = selectors.quartier_locked_for(voter)
    assert [(lock.budget, lock.quartier) for lock in locks] == [(budget, quartier)]
    notice = selectors.quartier_change_notice(voter) or ""
    assert LOCKED in notice and quartier.name in notice
    move_to(budget.process, "results")  # the vote is over: nothing is fixed any more
    assert selectors.quartier_locked_for(voter) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_ballots_in_two_quartiers_leave_one(
    city: Territory, quartier: Territory, other_quartier: Territory
) -> None:
    """20 requests of one account, half of them after a change of quartier, released together."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI runs it there)")
    budget = make_vote_budget(city=city, quartier=quartier, slug="bp-deux-quartiers")
    bellevue = _with_second_quartier(budget, other_quartier)
    malakoff = budget.envelopes.get(territory=quartier)
    person = UserFactory.create(home_territory=quartier, birth_date=datetime.date(1980, 1, 1))
    jobs = []
    for index in range(20):
        envelope, home = (malakoff, quartier) if index % 2 else (bellevue, other_quartier)
        jobs.append((envelope.pk, home.pk))
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def worker(envelope_pk: int, home_pk: int) -> None:
        try:
            user = User.objects.get(pk=person.pk)
            user.home_territory_id = home_pk  # the profile said this quartier when the page loaded
            envelope = Envelope.objects.select_related("budget__process").get(pk=envelope_pk)
            choices = _first(envelope)
            barrier.wait(timeout=60)
            services.ballot_cast(user=user, envelope=envelope, choices=choices)
            outcomes.append("ok")
        except PermissionDenied:
            outcomes.append("refused")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert set(outcomes) <= {"ok", "refused"}, outcomes
    assert VoterRecord.objects.filter(user=person, scope="quartier").count() == 1
    assert Ballot.objects.filter(envelope__in=[malakoff, bellevue]).count() == 1


def test_the_profile_says_the_vote_stays_with_the_first_quartier(
    budget: Budget,
    quartier_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
    other_quartier: Territory,
) -> None:
    """Issue 8, item 2: changing one's quartier during a vote says so, on the profile page and
    after the change."""
    person = make_voter()
    project = ballots.ballot_projects(quartier_envelope)[0]
    services.ballot_cast(user=person, envelope=quartier_envelope, choices={project.pk: 1})
    client = client_for(person)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="quartier-vote"' in page and budget.process.title in page
    moved = client.post(
        reverse("accounts:profile"),
        {"display_name": person.display_name, "home_territory": other_quartier.pk, "email_frequency": "immediate"},
        follow=True,
    )
    assert "reste attaché au quartier" in moved.content.decode()
