"""Parallel ballot submissions on PostgreSQL (Decidim CVE-2023-47634, CONSUL #2415/#4061).

Threads, each with its own database connection, are released together by a barrier and
call the cast service. The unique voter record and its row lock must leave exactly one
voter record and one ballot per person and envelope, whatever the interleaving.

The 100 submissions of one account are 100 threads released together, each with its own
connection: the PostgreSQL server needs ``max_connections`` of 150 at least (the test
database, the other workers, the superuser reserve). Below that the test fails with a
message saying so: it is never skipped on PostgreSQL.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from apps.accounts.models import User
from apps.budgets.models import Ballot, BallotChoice, Budget, Envelope, VoterRecord
from apps.budgets.voting import ballots, services
from apps.core.models import Territory
from tests.budgets.voting.factories import make_vote_budget
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 100
ACCOUNTS = 50
MIN_MAX_CONNECTIONS = 150


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI runs it there)")


def _max_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        return int(cursor.fetchone()[0])


def _run(jobs: list[Callable[[], object]]) -> list[BaseException]:
    """Run each job in its own thread (its own connection), all released at once."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job: Callable[[], object]) -> None:
        try:
            connection.ensure_connection()  # connect before the barrier: the jobs start together
            barrier.wait(timeout=60)
            job()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.fixture
def vote(city: Territory, quartier: Territory) -> tuple[Budget, Envelope, list[int]]:
    budget = make_vote_budget(city=city, quartier=quartier, slug="bp-concurrent")
    envelope = budget.envelopes.get(territory=None)
    return budget, envelope, [p.pk for p in ballots.ballot_projects(envelope)]


def _cast(user: User, envelope: Envelope, choices: dict[int, int]) -> Callable[[], object]:
    def job() -> object:
        # A fresh envelope per request, as a view would load it.
        fresh = Envelope.objects.select_related("budget__process").get(pk=envelope.pk)
        return services.ballot_cast(user=user, envelope=fresh, choices=choices)

    return job


def test_100_parallel_submissions_of_one_account_leave_one_ballot(
    vote: tuple[Budget, Envelope, list[int]], quartier: Territory
) -> None:
    available = _max_connections()
    if available < MIN_MAX_CONNECTIONS:
        pytest.fail(
            f"PostgreSQL max_connections is {available}: 100 truly concurrent submissions need "
            f"max_connections >= {MIN_MAX_CONNECTIONS} (raise it in postgresql.conf, or "
            "`ALTER SYSTEM SET max_connections = 300` and restart PostgreSQL)"
        )
    budget, envelope, pks = vote
    voter = UserFactory.create(home_territory=quartier, birth_date=datetime.date(1980, 1, 1))
    # Each thread submits a different (valid) choice, so "last one wins" is observable.
    jobs = [_cast(voter, envelope, {pks[i % len(pks)]: 1}) for i in range(SUBMISSIONS)]
    errors = _run(jobs)
    assert errors == []
    assert VoterRecord.objects.filter(envelope=envelope).count() == 1
    assert Ballot.objects.filter(envelope=envelope).count() == 1
    assert BallotChoice.objects.filter(ballot__envelope=envelope).count() == 1
    ballot = Ballot.objects.get(envelope=envelope)
    assert ballot.locator == services.ballot_locator(envelope, voter)
    assert Budget.objects.get(pk=budget.pk).rules_frozen_at is not None


def test_50_parallel_accounts_leave_50_ballots(vote: tuple[Budget, Envelope, list[int]], quartier: Territory) -> None:
    _budget, envelope, pks = vote
    voters = [
        UserFactory.create(home_territory=quartier, birth_date=datetime.date(1980, 1, 1)) for _ in range(ACCOUNTS)
    ]
    errors = _run([_cast(voter, envelope, {pks[0]: 1, pks[1]: 1}) for voter in voters])
    assert errors == []
    assert VoterRecord.objects.filter(envelope=envelope).count() == ACCOUNTS
    assert Ballot.objects.filter(envelope=envelope).count() == ACCOUNTS
    assert BallotChoice.objects.filter(ballot__envelope=envelope).count() == 2 * ACCOUNTS
    assert Ballot.objects.filter(envelope=envelope, locator__isnull=True).count() == 0
