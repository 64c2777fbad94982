"""Fixtures of the security suite: the shared fixture world and an isolated media folder.

The world is built once per test module and per xdist worker (:mod:`tests.shared_rows`): each test
runs in a savepoint on top of it and gets a deep copy of its Python objects, so no test sees
another's writes. In a test that uses ``world``, ``city``, ``quartier``, ``other_quartier`` and
``personas`` are the world's own objects; elsewhere they are built for the test as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from pytest_django import Settings

from apps.accounts.models import User
from apps.core.models import Territory
from tests.conftest import Personas, make_city, make_other_quartier, make_personas, make_quartier
from tests.media_root import ReusedMedia
from tests.security.world import SharedWorld, World, shared_world_fixture
from tests.shared_rows import fresh_copy
from tests.shared_sessions import sign_in

_shared_world = shared_world_fixture("world-media")


def _uses_world(request: pytest.FixtureRequest) -> bool:
    return "world" in request.fixturenames


@pytest.fixture(scope="session")
def _reused_media(tmp_path_factory: pytest.TempPathFactory) -> ReusedMedia:
    return ReusedMedia(tmp_path_factory.mktemp("security-media") / "media")


@pytest.fixture(autouse=True)
def _media_root(request: pytest.FixtureRequest, settings: Settings, _reused_media: ReusedMedia) -> None:
    # Uploaded files of a test never land in the developer's var/media, nor in another test's:
    # each test starts with the world's files (or none), refilled when a test changed them.
    source: Path | None = request.getfixturevalue("_shared_world").media if _uses_world(request) else None
    settings.MEDIA_ROOT = str(_reused_media.ready(source))


@pytest.fixture
def world(request: pytest.FixtureRequest, _shared_world: SharedWorld, db: None) -> World:
    """The whole fixture world (every module part), shared by the module and rolled back per test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        pytest.fail("The shared security world needs the `db` fixture: a transactional test builds its own world.")
    return fresh_copy(_shared_world.world)


def _world_of(request: pytest.FixtureRequest) -> World:
    world: World = request.getfixturevalue("world")
    return world


@pytest.fixture
def city(request: pytest.FixtureRequest) -> Territory:
    if _uses_world(request):
        return _world_of(request).city
    request.getfixturevalue("db")
    return make_city()


@pytest.fixture
def quartier(request: pytest.FixtureRequest, city: Territory) -> Territory:
    if _uses_world(request):
        return _world_of(request).quartier
    return make_quartier(city)


@pytest.fixture
def other_quartier(request: pytest.FixtureRequest, city: Territory) -> Territory:
    if _uses_world(request):
        return _world_of(request).other_quartier
    return make_other_quartier(city)


@pytest.fixture
def personas(request: pytest.FixtureRequest, quartier: Territory, other_quartier: Territory) -> Personas:
    if _uses_world(request):
        return _world_of(request).people
    return make_personas(quartier, other_quartier)


@pytest.fixture
def client_for(request: pytest.FixtureRequest) -> Callable[[User | None], Client]:
    """A client signed in as the given user; in a test of the world, with the session the world's
    personas were signed in with once (:mod:`tests.shared_sessions`)."""
    sessions = _world_of(request).sessions if _uses_world(request) else None

    def make(user: User | None) -> Client:
        return sign_in(Client(), user, sessions)

    return make


@pytest.fixture
def login(client_for: Callable[[User | None], Client]) -> Callable[[World, str], Client]:
    def make(world: World, persona: str) -> Client:
        user: User | None = world.user(persona)
        return client_for(user)

    return make
