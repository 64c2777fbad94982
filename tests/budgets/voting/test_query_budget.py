"""Query budget of a ballot submission (voting day: bench/bench_voting.py, bench/README.md),
and the per-process cache of the ballot definition it relies on."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.budgets.models import Ballot, Budget, Envelope, VoterRecord
from apps.budgets.voting import ballots, services

pytestmark = pytest.mark.django_db

# The confirm POST of a first ballot, rules frozen (every ballot but the first one):
# session (the tests keep sessions in the database; Redis in production), user, then one
# statement for the budget with its process, city and phases, the voter's home territory and
# its ancestors and the person's voter records in the budget (the quartier their first ballot
# fixed: issue 8, item 2; ``loading.budget_for_voter``), then one statement that writes the
# voter record, the ballot, its choices and, in a vote with an age condition, the lock of the
# birth date (issue 15: ``services._insert_first_ballot``).
FIRST_BALLOT_QUERIES = 4
# A change of ballot takes the transaction: the voter record (not inserted), its row lock, the
# ballot by its locator, the deletion of its choices, the replaced receipt, the new receipt
# and the choices.
CHANGE_QUERIES = FIRST_BALLOT_QUERIES + 6
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def _data_queries(context: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in context.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


def _url(budget: Budget, envelope: Envelope) -> str:
    return reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": envelope.pk})


@pytest.fixture(autouse=True)
def _empty_definition_cache() -> None:
    ballots.clear_definitions()


def _freeze(budget: Budget, envelope: Envelope, make_voter: Callable[..., User]) -> None:
    first = ballots.ballot_projects(envelope)[0].pk
    services.ballot_cast(user=make_voter(), envelope=envelope, choices={first: 1})
    budget.refresh_from_db()
    assert budget.rules_frozen_at is not None


def test_a_ballot_submission_stays_within_its_query_budget(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    _freeze(budget, city_envelope, make_voter)
    a, b, c = (p.pk for p in ballots.ballot_projects(city_envelope)[:3])
    voter: User = make_voter()
    client = client_for(voter)
    url = _url(budget, city_envelope)
    assert client.get(url).status_code == 200  # a first page fills the definition cache

    with CaptureQueriesContext(connection) as first:
        response = client.post(url, {"action": "confirm", "projets": [a, b]})
    assert response.status_code == 302 and response["Location"].endswith("/recu/")
    assert len(_data_queries(first)) <= FIRST_BALLOT_QUERIES, "\n".join(_data_queries(first))
    assert not any("budgets_project" in sql for sql in _data_queries(first))  # from the cache

    receipt = Ballot.objects.get(locator=services.ballot_locator(city_envelope, voter)).receipt
    with CaptureQueriesContext(connection) as change:
        response = client.post(url, {"action": "confirm", "projets": [c], "remplace": receipt})
    assert response.status_code == 302
    assert len(_data_queries(change)) <= CHANGE_QUERIES, "\n".join(_data_queries(change))

    assert VoterRecord.objects.filter(envelope=city_envelope, user=voter).count() == 1
    ballot = Ballot.objects.get(locator=services.ballot_locator(city_envelope, voter))
    assert list(ballot.choices.values_list("project_id", flat=True)) == [c]
    # No flash message to carry: the receipt itself says the vote is recorded.
    assert "Votre vote est enregistré" in client.get(response["Location"]).content.decode()


def test_the_definition_is_cached_only_once_the_rules_are_frozen(
    budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    with CaptureQueriesContext(connection) as context:
        ballots.ballot_definition(budget, city_envelope.pk)
        ballots.ballot_definition(budget, city_envelope.pk)
    assert len(context.captured_queries) == 4  # not frozen: envelope and projects every time

    _freeze(budget, city_envelope, make_voter)
    cached = ballots.ballot_definition(budget, city_envelope.pk)
    assert cached is not None
    with CaptureQueriesContext(connection) as context:
        assert ballots.ballot_definition(budget, city_envelope.pk) is cached
    assert context.captured_queries == []
    assert [p.pk for p in cached.projects] == [p.pk for p in ballots.ballot_projects(city_envelope)]

    # Another freeze time is another key; a saved project empties the cache.
    refrozen = Budget.objects.get(pk=budget.pk)
    assert refrozen.rules_frozen_at is not None
    refrozen.rules_frozen_at = refrozen.rules_frozen_at.replace(
        microsecond=(refrozen.rules_frozen_at.microsecond + 1) % 10**6
    )
    assert ballots.ballot_definition(refrozen, city_envelope.pk) is not cached
    project = ballots.ballot_projects(city_envelope)[0]
    project.title = "Un autre titre"
    project.save()
    assert ballots.ballot_definition(budget, city_envelope.pk).projects[0].title == "Un autre titre"  # type: ignore[union-attr]

    # An envelope of another budget is not found through this one.
    assert ballots.ballot_definition(budget, 10**9) is None


def test_the_envelope_of_a_cached_definition_is_private_to_each_request(
    budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    _freeze(budget, city_envelope, make_voter)
    definition = ballots.ballot_definition(budget, city_envelope.pk)
    assert definition is not None
    other = Budget.objects.get(pk=budget.pk)
    mine, theirs = definition.envelope_for(budget), definition.envelope_for(other)
    assert mine.budget is budget and theirs.budget is other
    assert mine is not definition.envelope and "budget" not in definition.envelope._state.fields_cache
