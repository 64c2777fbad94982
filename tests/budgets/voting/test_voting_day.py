"""The ballot path of voting day (issue 15, bench/bench_voting.py): the least work that keeps
its guarantees. A voter who only votes never writes their session; a first ballot, once the
rules are frozen, is written by one statement; the ballot definition stays cached until the
freeze changes; the plain-SQL reads give the same objects as the ORM."""

from __future__ import annotations

import datetime
import select
from collections.abc import Callable
from importlib import import_module
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.budgets.models import Ballot, BallotChoice, Budget, Envelope, Project, VoterRecord
from apps.budgets.projects import analysis
from apps.budgets.voting import ballots, loading, rules, services
from apps.core.models import Territory
from tests.budgets.voting.test_concurrency import _max_connections, _run
from tests.factories import UserFactory

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def _url(budget: Budget, envelope: Envelope, name: str = "budgets:ballot") -> str:
    return reverse(name, kwargs={"slug": budget.process.slug, "envelope_pk": envelope.pk})


def _freeze(envelope: Envelope, make_voter: Callable[[], User]) -> None:
    first = ballots.ballot_projects(envelope)[0].pk
    services.ballot_cast(user=make_voter(), envelope=envelope, choices={first: 1})


@pytest.fixture(autouse=True)
def _empty_definition_cache() -> None:
    ballots.clear_definitions()


# --- no session write -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_voter_who_only_votes_never_writes_their_session(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    _freeze(city_envelope, make_voter)
    voter: User = make_voter()
    client = client_for(voter)
    a, b = (p.pk for p in ballots.ballot_projects(city_envelope)[:2])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    with mock.patch.object(store, "save", autospec=True) as save, CaptureQueriesContext(connection) as queries:
        assert client.get(_url(budget, city_envelope)).status_code == 200
        posted = client.post(_url(budget, city_envelope), {"action": "confirm", "projets": [a, b]})
        assert posted.status_code == 302
        assert client.get(posted["Location"]).status_code == 200
    assert save.call_count == 0
    assert not [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert "sessionid" not in posted.cookies  # nothing to send back either
    assert Ballot.objects.filter(locator=services.ballot_locator(city_envelope, voter)).exists()


# --- one statement, bounded statements --------------------------------------------------------


@pytest.mark.django_db
def test_a_first_ballot_is_one_statement_within_a_bounded_request(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    _freeze(city_envelope, make_voter)
    voter: User = make_voter()
    assert voter.birth_date_locked_at is None and budget.min_age
    client = client_for(voter)
    url = _url(budget, city_envelope)
    a, b, c = (p.pk for p in ballots.ballot_projects(city_envelope)[:3])
    client.get(url)  # fills the definition cache
    # Session, user, one read (budget with process, city and phases, home territory with its
    # ancestors, the voter records in the budget), and the one write.
    with django_assert_max_num_queries(4) as queries:
        response = client.post(url, {"action": "confirm", "projets": [a, b, c]})
    assert response.status_code == 302
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith("WITH record AS (INSERT"), writes
    assert not any(q["sql"].startswith(TRANSACTION_CONTROL) for q in queries.captured_queries)

    record = VoterRecord.objects.get(envelope=city_envelope, user=voter)
    assert record.territory_id == voter.home_territory_id and record.channel == "online"
    ballot = Ballot.objects.get(locator=services.ballot_locator(city_envelope, voter))
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == sorted([a, b, c])
    assert set(BallotChoice.objects.filter(ballot=ballot).values_list("points", "rank")) == {(1, None)}
    voter.refresh_from_db()
    assert voter.birth_date_locked_at is not None  # fixed by the same statement


@pytest.mark.django_db
def test_the_one_statement_path_keeps_one_ballot_per_person(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    _freeze(city_envelope, make_voter)
    voter: User = make_voter()
    client = client_for(voter)
    url = _url(budget, city_envelope)
    a, b = (p.pk for p in ballots.ballot_projects(city_envelope)[:2])
    assert client.post(url, {"action": "confirm", "projets": [a]}).status_code == 302
    receipt = Ballot.objects.get(locator=services.ballot_locator(city_envelope, voter)).receipt

    # A second "first ballot" (the back button): nothing written, the recorded ballot shown.
    stale = client.post(url, {"action": "confirm", "projets": [b], "remplace": ""})
    assert stale.status_code == 409
    assert Ballot.objects.get(locator=services.ballot_locator(city_envelope, voter)).receipt == receipt
    # The service alone: the one statement inserts nothing, the transaction refuses it.
    fresh = User.objects.get(pk=voter.pk)
    with pytest.raises(services.StaleBallotForm):
        services.ballot_cast(user=fresh, envelope=city_envelope, choices={b: 1}, replaces="")
    assert VoterRecord.objects.filter(envelope=city_envelope, user=voter).count() == 1
    assert Ballot.objects.filter(envelope=city_envelope).count() == 2  # the freezing voter's and this one
    # The explicit change still works.
    changed = client.post(url, {"action": "confirm", "projets": [b], "remplace": receipt})
    assert changed.status_code == 302
    ballot = Ballot.objects.get(locator=services.ballot_locator(city_envelope, voter))
    assert ballot.receipt != receipt and list(ballot.choices.values_list("project_id", flat=True)) == [b]


@pytest.mark.django_db
def test_the_one_statement_path_returns_the_ballot_it_wrote(
    city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    # Built without Model.__init__ (apps.core.sql.build): the same ballot as the one read back.
    _freeze(city_envelope, make_voter)
    voter: User = make_voter()
    a, b = (p.pk for p in ballots.ballot_projects(city_envelope)[:2])
    with CaptureQueriesContext(connection) as queries:
        ballot = services.ballot_cast(user=voter, envelope=city_envelope, choices={a: 1, b: 1}, replaces="")
    statements = [q["sql"] for q in queries.captured_queries]  # the one-statement path, no transaction
    assert statements[-1].startswith("WITH record AS") and not [
        q for q in statements if q.startswith(TRANSACTION_CONTROL)
    ]
    stored = Ballot.objects.get(locator=services.ballot_locator(city_envelope, voter))
    assert type(ballot) is Ballot and ballot == stored
    assert [(f.attname, getattr(ballot, f.attname)) for f in Ballot._meta.concrete_fields] == [
        (f.attname, getattr(stored, f.attname)) for f in Ballot._meta.concrete_fields
    ]
    assert (ballot._state.adding, ballot._state.db) == (False, stored._state.db)
    assert ballot.envelope is city_envelope  # its budget loaded already: no query
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == sorted([a, b])
    assert str(ballot) == stored.receipt and len(ballot.receipt) == 19


@pytest.mark.django_db
def test_a_first_ballot_on_another_database_than_postgresql_takes_the_transaction(
    city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    """The one statement is PostgreSQL's SQL (writing CTEs, unnest, casts): on the SQLite demo of
    the Quick start it raised on every first ballot once the rules were frozen. Another vendor
    takes the transaction path, which writes the same rows."""
    _freeze(city_envelope, make_voter)
    voter = make_voter()
    first = ballots.ballot_projects(city_envelope)[0].pk
    with mock.patch.object(connection, "vendor", "sqlite"), CaptureQueriesContext(connection) as queries:
        ballot = services.ballot_cast(user=voter, envelope=city_envelope, choices={first: 1}, replaces="")
    assert not any("unnest(" in query["sql"] for query in queries.captured_queries)
    assert any(
        query["sql"] in TRANSACTION_CONTROL or query["sql"].startswith("SAVEPOINT")
        for query in queries.captured_queries
    )
    assert list(ballot.choices.values_list("project_id", flat=True)) == [first]
    assert VoterRecord.objects.filter(envelope=city_envelope, user=voter).count() == 1


@pytest.mark.django_db
def test_the_one_statement_path_refuses_what_the_rules_refuse(
    budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    _freeze(city_envelope, make_voter)
    a, b, c, d = (p.pk for p in ballots.ballot_projects(city_envelope)[:4])
    unverified = make_voter(verification="none")
    with pytest.raises(Exception, match="adresse électronique confirmée"):
        services.ballot_cast(user=unverified, envelope=city_envelope, choices={a: 1}, replaces="")
    too_many = make_voter()
    with pytest.raises(ValidationError):
        services.ballot_cast(user=too_many, envelope=city_envelope, choices={a: 1, b: 1, c: 1, d: 1}, replaces="")
    assert not VoterRecord.objects.filter(user__in=[unverified, too_many]).exists()


@pytest.mark.django_db
def test_a_city_ballot_records_the_quartier_fixed_by_an_earlier_ballot(
    budget: Budget,
    city_envelope: Envelope,
    quartier_envelope: Envelope,
    make_voter: Callable[..., User],
    other_quartier: Territory,
) -> None:
    _freeze(city_envelope, make_voter)
    voter: User = make_voter()
    in_quartier = ballots.ballot_projects(quartier_envelope)[0].pk
    services.ballot_cast(user=voter, envelope=quartier_envelope, choices={in_quartier: 1}, replaces="")
    # The person then declares another home: their city-wide record keeps the fixed quartier.
    User.objects.filter(pk=voter.pk).update(home_territory=other_quartier)
    fresh = User.objects.get(pk=voter.pk)
    services.ballot_cast(
        user=fresh, envelope=city_envelope, choices={ballots.ballot_projects(city_envelope)[0].pk: 1}, replaces=""
    )
    record = VoterRecord.objects.get(envelope=city_envelope, user=voter)
    assert record.territory_id == quartier_envelope.territory_id


# --- the ballot definition: invalidated by the freeze, not by time -----------------------------


@pytest.mark.django_db
def test_the_cached_definition_lasts_until_the_freeze_changes(
    budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    _freeze(city_envelope, make_voter)
    budget.refresh_from_db()
    cached = ballots.ballot_definition(budget, city_envelope.pk)
    assert cached is not None
    # No expiry: an hour later (as the clock of this process sees it), still no query.
    later = datetime.timedelta(hours=1).total_seconds()
    with (
        mock.patch("time.monotonic", return_value=10**9 + later),
        CaptureQueriesContext(connection) as queries,
    ):
        assert ballots.ballot_definition(budget, city_envelope.pk) is cached
    assert queries.captured_queries == []

    # A write that another worker made (no signal in this process): invisible while the
    # freeze stands, seen as soon as the budget is frozen anew.
    project = cached.projects[0]
    Project.objects.filter(pk=project.pk).update(title="Titre changé ailleurs")
    assert ballots.ballot_definition(budget, city_envelope.pk) is cached
    Budget.objects.filter(pk=budget.pk).update(rules_frozen_at=None)
    budget.refresh_from_db()
    unfrozen = ballots.ballot_definition(budget, city_envelope.pk)
    assert unfrozen is not None and unfrozen.projects[0].title == "Titre changé ailleurs"
    Budget.objects.filter(pk=budget.pk).update(rules_frozen_at=timezone.now())
    budget.refresh_from_db()
    refrozen = ballots.ballot_definition(budget, city_envelope.pk)
    assert refrozen is not cached and refrozen is not None
    assert refrozen.projects[0].title == "Titre changé ailleurs"


@pytest.mark.django_db(transaction=True)
def test_a_change_of_the_ballot_list_locks_the_budget_row_against_the_freeze(
    budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        analysis._not_frozen(budget)
    assert any("FOR UPDATE" in q["sql"] and "budgets_budget" in q["sql"] for q in queries.captured_queries)
    _freeze(city_envelope, make_voter)
    with transaction.atomic(), pytest.raises(ValidationError):
        analysis._not_frozen(budget)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_statements_of_a_ballot_are_prepared_on_postgresql(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    """The ballot's fixed statements are parsed and planned once per connection
    (``apps.core.sql.prepared_cursor``), not at every ballot."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    _freeze(city_envelope, make_voter)
    voter: User = make_voter()
    a, b = (p.pk for p in ballots.ballot_projects(city_envelope)[:2])
    with CaptureQueriesContext(connection) as queries:
        response = client_for(voter).post(_url(budget, city_envelope), {"action": "confirm", "projets": [a, b]})
    assert response.status_code == 302
    sent = [q["sql"] for q in queries.captured_queries]
    assert any(q.startswith("WITH record AS (INSERT") for q in sent)  # logged with its text
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(text.startswith("WITH record AS (INSERT") for text in prepared), prepared
    assert any('FROM "budgets_voterrecord" WHERE' in text for text in prepared)
    assert any(text.startswith('SELECT u."id"') for text in prepared)  # the user load
    assert any('JOIN "core_process" p' in text for text in prepared)  # budget, process and city


# --- plain-SQL reads -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_plain_reads_give_what_the_orm_gives(budget: Budget, voter: User, quartier: Territory) -> None:
    micro_quartier = Territory.objects.create(
        name="Pré-Gauchet", slug="pre-gauchet", kind=Territory.Kind.MICRO, parent=quartier
    )
    loaded = loading.budget_by_slug(budget.process.slug)
    assert loaded is not None and loaded.pk == budget.pk
    reference = Budget.objects.select_related("process__territory").get(pk=budget.pk)
    for name in ("ballot_type", "max_choices", "min_age", "residents_only", "rules_frozen_at", "required_verification"):
        assert getattr(loaded, name) == getattr(reference, name)
    assert loaded.process.slug == reference.process.slug and loaded.process.is_published
    assert loaded.process.territory.pk == reference.process.territory.pk
    with CaptureQueriesContext(connection) as queries:
        phases = loaded.process.ordered_phases()
        assert rules.vote_is_open(loaded)
    assert queries.captured_queries == []
    assert [p.pk for p in phases] == [p.pk for p in reference.process.ordered_phases()]
    assert loading.budget_by_slug("pas-de-budget") is None

    micro = loading.territory_with_ancestors(micro_quartier.pk)
    assert micro is not None
    with CaptureQueriesContext(connection) as queries:
        chain = micro.ancestor_ids()
    assert queries.captured_queries == []
    assert chain == Territory.objects.get(pk=micro_quartier.pk).ancestor_ids()
    assert chain == [micro_quartier.pk, quartier.pk, quartier.parent_id]
    assert micro.kind == Territory.Kind.MICRO and "boundary" not in micro.__dict__  # the outline is not read
    assert loading.voter_records(voter, budget) == []


def _same_voter_budget(one: loading.VoterBudget | None, other: loading.VoterBudget | None) -> None:
    assert one is not None and other is not None
    for name in ("pk", "ballot_type", "max_choices", "min_age", "rules_frozen_at", "residents_only"):
        assert getattr(one.budget, name) == getattr(other.budget, name)
    assert one.budget.process.slug == other.budget.process.slug
    assert one.budget.process.territory.pk == other.budget.process.territory.pk
    phases = [
        (p.pk, p.process_id, p.kind, p.starts_at, p.ends_at, p.start_announced_at)
        for p in one.budget.process.phases.all()
    ]
    assert phases == [
        (p.pk, p.process_id, p.kind, p.starts_at, p.ends_at, p.start_announced_at)
        for p in other.budget.process.ordered_phases()
    ]
    chain = one.home.ancestor_ids() if one.home is not None else None
    assert chain == (other.home.ancestor_ids() if other.home is not None else None)
    assert sorted(one.records) == sorted(other.records)


@pytest.mark.django_db
def test_the_budget_and_the_voter_are_read_in_one_statement(
    budget: Budget,
    city_envelope: Envelope,
    quartier_envelope: Envelope,
    quartier: Territory,
    make_voter: Callable[..., User],
) -> None:
    micro_quartier = Territory.objects.create(
        name="Pré-Gauchet", slug="pre-gauchet", kind=Territory.Kind.MICRO, parent=quartier
    )
    voter = make_voter(home_territory=micro_quartier)
    # A phase added later that starts first: the phases come in the model's order, not by key.
    first = budget.process.ordered_phases()[0]
    budget.process.phases.create(
        module="budgets",
        kind="info",
        title="Info",
        starts_at=first.starts_at - datetime.timedelta(days=9),
        ends_at=first.starts_at,
    )
    for envelope in (city_envelope, quartier_envelope):
        services.ballot_cast(user=voter, envelope=envelope, choices={ballots.ballot_projects(envelope)[0].pk: 1})
    slug = budget.process.slug

    with CaptureQueriesContext(connection) as queries:
        read = loading.budget_for_voter(slug, user_pk=voter.pk, home_pk=micro_quartier.pk)
        assert read is not None and read.home is not None
        ancestors = read.home.ancestor_ids()
        rules.vote_is_open(read.budget)
    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 4)
    assert ancestors == [micro_quartier.pk, quartier.pk, quartier.parent_id]
    assert len(read.records) == 2 and len(read.budget.process.phases.all()) == 6
    # The same as the reads one by one (the other databases' path).
    apart = loading._budget_for_voter_apart(slug, user_pk=voter.pk, home_pk=micro_quartier.pk)
    _same_voter_budget(read, apart)
    assert apart is not None and sorted(read.records) == sorted(loading.voter_records(voter, apart.budget))

    # Anonymous, or without a home: nothing joined; no phase: none; no budget: None.
    anonymous = loading.budget_for_voter(slug, user_pk=None, home_pk=None)
    assert anonymous is not None and anonymous.home is None and anonymous.records == []
    _same_voter_budget(anonymous, loading._budget_for_voter_apart(slug, user_pk=None, home_pk=None))
    budget.process.phases.all().delete()
    bare = loading.budget_for_voter(slug, user_pk=voter.pk, home_pk=None)
    assert bare is not None and list(bare.budget.process.phases.all()) == [] and bare.home is None
    assert loading.budget_for_voter("pas-de-budget", user_pk=voter.pk, home_pk=None) is None


# --- parallel first ballots on the one-statement path -------------------------------------------

PARALLEL = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_ballots_of_one_account_leave_one_ballot(
    budget: Budget, city_envelope: Envelope, quartier: Territory
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    assert _max_connections() >= PARALLEL + 10
    _freeze(city_envelope, lambda: UserFactory.create(home_territory=quartier, birth_date=datetime.date(1980, 1, 1)))
    voter = UserFactory.create(home_territory=quartier, birth_date=datetime.date(1980, 1, 1))
    pks = [p.pk for p in ballots.ballot_projects(city_envelope)]
    outcomes: list[str] = []

    def job(index: int) -> Callable[[], None]:
        def run() -> None:
            fresh = Envelope.objects.select_related("budget__process").get(pk=city_envelope.pk)
            person = User.objects.get(pk=voter.pk)
            try:
                services.ballot_cast(user=person, envelope=fresh, choices={pks[index % len(pks)]: 1}, replaces="")
                outcomes.append("cast")
            except services.StaleBallotForm:
                outcomes.append("stale")

        return run

    errors = _run([job(i) for i in range(PARALLEL)])
    assert errors == []
    assert outcomes.count("cast") == 1 and outcomes.count("stale") == PARALLEL - 1
    assert VoterRecord.objects.filter(envelope=city_envelope, user=voter).count() == 1
    ballot = Ballot.objects.get(locator=services.ballot_locator(city_envelope, voter))
    assert ballot.choices.count() == 1


# --- a connection the server closed ----------------------------------------------------------------


def _wait_until_readable(pgconn: Any) -> None:
    """The server's goodbye (its FATAL message, then the end of the stream) has arrived."""
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN)
    for _attempt in range(100):
        if poller.poll(100):
            return
    raise AssertionError("the terminated backend never closed its socket")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_ballot_on_a_connection_the_server_closed_is_recorded(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    """The health check of reused connections (``archipel.db.postgresql``) sends nothing, yet a
    connection the server closed between two requests (restart, fail-over, an administrator's
    ``pg_terminate_backend``) is replaced before the ballot, instead of failing it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's health check")
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    _freeze(city_envelope, make_voter)
    voter: User = make_voter()
    client = client_for(voter)
    url = _url(budget, city_envelope)
    a, b = (p.pk for p in ballots.ballot_projects(city_envelope)[:2])
    assert client.get(url).status_code == 200
    assert connection.is_usable()  # an idle, healthy connection passes
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    pgconn = connection.connection.pgconn
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [backend]).fetchone() == (True,)
    _wait_until_readable(pgconn)
    assert not connection.is_usable()

    connection.close_if_unusable_or_obsolete()  # what Django does when a request starts
    response = client.post(url, {"action": "confirm", "projets": [a, b]})
    assert response.status_code == 302
    assert connection.connection.pgconn is not pgconn  # a new connection served the ballot
    ballot = Ballot.objects.get(locator=services.ballot_locator(city_envelope, voter))
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == sorted([a, b])
