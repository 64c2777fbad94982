"""Shared fixtures: personas, processes frozen in a phase, a client per persona."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal, cast, overload

os.environ.setdefault("ARCHIPEL_TESTING", "1")

import datetime
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.test import Client
from django.utils import timezone, translation

from apps.accounts.models import User
from apps.core.models import Process, Role, RoleAssignment, Territory
from tests import db_template, fast_flush, quick_login
from tests.factories import ProcessFactory, RoleFactory, TerritoryFactory, UserFactory

quick_login.install()

# The concurrency tests open 50 to 100 connections to pytest-django's live server at once. Django's
# server listens with a backlog of 10 (``request_queue_size``): the connections beyond it wait in
# the kernel's SYN handling, and some never got an answer when the machine was busy (6 of 50 in
# a whole run of 2026-12-04, tolerance 5). The kernel allows far more (``somaxconn`` 4096 here).
ThreadedWSGIServer.request_queue_size = 128

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

    # What the test client returns (a stubs-only class): a response with `.context`, `.json()`...
    Response = _MonkeyPatchedWSGIResponse
else:
    Response = HttpResponse

PERSONAS = ("anonymous", "resident", "other_resident", "agent", "elu", "moderator", "admin_elsewhere")
SignedIn = Literal["resident", "other_resident", "agent", "elu", "moderator", "admin_elsewhere"]


class Personas(dict[str, User | None]):
    """The ``personas`` fixture: an account per persona name, ``None`` for "anonymous". Typed by
    key, so that ``personas["agent"]`` is a ``User`` (an actor) without a check at each use."""

    @overload
    def __getitem__(self, name: Literal["anonymous"]) -> None: ...
    @overload
    def __getitem__(self, name: SignedIn) -> User: ...
    @overload
    def __getitem__(self, name: str) -> User | None: ...
    def __getitem__(self, name: str) -> User | None:
        return super().__getitem__(name)

    def user(self, name: str) -> User:
        """The account of a persona known to be signed in (``name`` from a list of them)."""
        user = self[name]
        assert user is not None, name
        return user


def body_of(response: HttpResponseBase) -> bytes:
    """The body of a response, streamed (files, CSV exports) or not."""
    if isinstance(response, StreamingHttpResponse):
        return b"".join(cast(Iterator[bytes], response.streaming_content))
    assert isinstance(response, HttpResponse), response
    return response.content


# The longest modules, run first in their part of the run. pytest-django orders the tests as
# Django does (database tests, then transactional ones, then those without a database), which put
# the longest of all at the very end: the migration round trips (transactional) and the
# comparisons with pabutools (no database). pytest-xdist hands out tests in runs of consecutive
# ones, smaller and smaller towards the end, so a worker that drew a minute-long test last kept
# running alone while the other had finished. Tests without a database can run anywhere: those
# below go first of all. Transactional tests stay after the database tests (a flush would empty
# the rows data migrations made for them) but start with the longest. Seconds: one worker, -n 1,
# load 7 (2026-12-03): test_real_files 259 (one case 160), test_engine 65, the round trips 265,
# 58, 40, 35, 29.
# `make test` passes --maxschedchunk=1: a worker is handed the next test when it is done with one,
# so the long tests spread over both workers and, longest first, none is left running alone at the
# end of its part (with runs of consecutive tests the round trips all went to one worker).
LONGEST_WITHOUT_DATABASE = (
    "tests/budgets/counting/test_real_files.py",
    "tests/budgets/counting/test_engine.py",
    "tests/budgets/counting/test_official_files.py",
    "tests/budgets/counting/test_pabulib.py",
)
LONGEST_TRANSACTIONAL = (
    "tests/sittings/test_migration.py",
    "tests/discussion/test_migration.py",
    "tests/notifications/test_follow_migration.py",
    "tests/answers/test_migration.py",
    "tests/budgets/voting/test_secrecy_migration.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """After pytest-django's order: the longest modules first in their part (see above)."""
    root = config.rootpath

    def module(item: pytest.Item) -> str:
        return item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""

    first_rank = {name: index for index, name in enumerate(LONGEST_WITHOUT_DATABASE)}
    first = sorted((item for item in items if module(item) in first_rank), key=lambda item: first_rank[module(item)])
    rest = [item for item in items if module(item) not in first_rank]
    rank = {name: index for index, name in enumerate(LONGEST_TRANSACTIONAL)}
    slow = sorted((item for item in rest if module(item) in rank), key=lambda item: rank[module(item)])
    others = [item for item in rest if module(item) not in rank]
    start = next((index for index, item in enumerate(others) if _transactional(item)), len(others))
    items[:] = first + others[:start] + slow + others[start:]


def _transactional(item: pytest.Item) -> bool:
    """pytest-django's test of a transactional test (its ``get_order_number``)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's fixture, except that on PostgreSQL the test database is a copy of a migrated
    template built once for all workers and kept between runs (:mod:`tests.db_template`), and that
    transactional tests empty it by deleting rows rather than truncating (:mod:`tests.fast_flush`)."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        if django_db_use_migrations and db_template.enabled(connections["default"]):
            worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
            rebuild = django_db_createdb and worker == "gw0"
            old_name = db_template.clone_test_database(connections["default"], rebuild=rebuild, verbosity=verbosity)
            db_cfg: Any = [(connections["default"], old_name, True)]
        else:
            db_cfg = setup_databases(verbosity=verbosity, interactive=False, keepdb=keepdb)
        fast_flush.install(connections["default"])
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            _end_other_sessions(connections["default"])
            teardown_databases(db_cfg, verbosity=verbosity)


def _end_other_sessions(connection: Any) -> None:
    """A connection a test thread left open (threads of the concurrency tests close theirs, but
    one killed by a failure or still finishing may not) makes ``DROP DATABASE`` fail at the very
    end of a green run: end the worker's other sessions on its test database first."""
    from django.db import connections

    connections.close_all()
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )


@pytest.fixture(autouse=True)
def _french_by_default() -> None:
    # A request in English (cookie, Accept-Language) leaves English active in the thread after
    # it: code called outside a request in the next test must see the site's language again.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    # Rate-limit counters live in the cache: each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


def make_city() -> Territory:
    return TerritoryFactory.create(name="Nantes", slug="nantes", kind="city", parent=None)


def make_quartier(city: Territory) -> Territory:
    return TerritoryFactory.create(name="Malakoff - Saint-Donatien", slug="malakoff-saint-donatien", parent=city)


def make_other_quartier(city: Territory) -> Territory:
    return TerritoryFactory.create(name="Bellevue - Chantenay", slug="bellevue-chantenay", parent=city)


@pytest.fixture
def city(db: None) -> Territory:
    return make_city()


@pytest.fixture
def quartier(city: Territory) -> Territory:
    return make_quartier(city)


@pytest.fixture
def other_quartier(city: Territory) -> Territory:
    return make_other_quartier(city)


@pytest.fixture
def personas(quartier: Territory, other_quartier: Territory) -> Personas:
    return make_personas(quartier, other_quartier)


def make_personas(quartier: Territory, other_quartier: Territory) -> Personas:
    """One account per persona. Staff roles are scoped to ``quartier``, except the
    administrator, who is scoped to another quartier and must not see this one's back office."""
    staff = (
        ("agent", Role.AGENT, quartier),
        ("elu", Role.ELU, quartier),
        ("moderator", Role.MODERATOR, quartier),
        ("admin_elsewhere", Role.ADMIN, other_quartier),
    )
    people = Personas(anonymous=None)
    people["resident"] = UserFactory.build(display_name="Awa Résidente", home_territory=quartier)
    people["other_resident"] = UserFactory.build(display_name="Bruno Voisin", home_territory=quartier)
    for name, _role, _territory in staff:
        people[name] = UserFactory.build(display_name=name.capitalize())
    # One INSERT for the accounts and one for the roles (not one per row: some 1,500 tests build
    # the personas). No signal listens to accounts or roles being created.
    User.objects.bulk_create([people.user(name) for name in people if name != "anonymous"])
    RoleAssignment.objects.bulk_create(
        RoleFactory.build(user=people.user(name), role=role, territory=territory) for name, role, territory in staff
    )
    return people


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


def make_process_in_phase(kind: str, *, territory: Territory, module: str = "proposals", **extra: Any) -> Process:
    """A published process whose ``kind`` phase of ``module`` runs now (other phases around it)."""
    now = timezone.now()
    process = ProcessFactory.create(territory=territory, is_published=True, **extra)
    kinds = ["collect", "support", "analysis", "followup"]
    if kind not in kinds:
        kinds.insert(0, kind)
    index = kinds.index(kind)
    for offset, name in enumerate(kinds):
        start = now + datetime.timedelta(days=30 * (offset - index) - 1)
        process.phases.create(
            module=module,
            kind=name,
            title=name.capitalize(),
            starts_at=start,
            ends_at=start + datetime.timedelta(days=30),
        )
    return process


@pytest.fixture
def process_in_phase(quartier: Territory) -> Callable[..., Process]:
    def make(kind: str = "collect", **extra: Any) -> Process:
        return make_process_in_phase(kind, territory=extra.pop("territory", quartier), **extra)

    return make


@pytest.fixture
def freeze_phase() -> Iterator[Callable[[Process, str], None]]:
    """Travel to the middle of the given phase of a process (the clock stays there)."""
    travellers: list[time_machine.travel] = []

    def freeze(process: Process, kind: str) -> None:
        phase = process.phases.get(kind=kind)
        middle = phase.starts_at + (phase.ends_at - phase.starts_at) / 2
        traveller = time_machine.travel(middle, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield freeze
    for traveller in reversed(travellers):
        traveller.stop()
