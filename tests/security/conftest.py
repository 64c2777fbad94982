"""Fixtures of the security suite: the shared fixture world and an isolated media folder.

The world is built once per test module and per xdist worker (:mod:`tests.shared_rows`): each test
runs in a savepoint on top of it and gets a deep copy of its Python objects, so no test sees
another's writes. In a test that uses ``world``, ``city``, ``quartier``, ``other_quartier`` and
``personas`` are the world's own objects; elsewhere they are built for the test as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from apps.accounts.models import User
from tests.conftest import make_city, make_other_quartier, make_personas, make_quartier
from tests.security.world import World, build_whole_world
from tests.shared_rows import built_once, copy_media, fresh_copy


@dataclass(frozen=True)
class SharedWorld:
    world: World
    media: Path


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[SharedWorld]:  # type: ignore[no-untyped-def]
    media = tmp_path_factory.mktemp("world-media")
    with built_once(django_db_blocker, build_whole_world, media=media) as world:
        yield SharedWorld(world=world, media=media)


def _uses_world(request: pytest.FixtureRequest) -> bool:
    return "world" in request.fixturenames


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Uploaded files of a test never land in the developer's var/media, nor in another test's.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    if _uses_world(request):
        copy_media(request.getfixturevalue("_shared_world").media, tmp_path / "media")


@pytest.fixture
def world(request, _shared_world: SharedWorld, db: None) -> World:  # type: ignore[no-untyped-def]
    """The whole fixture world (every module part), shared by the module and rolled back per test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        pytest.fail("The shared security world needs the `db` fixture: a transactional test builds its own world.")
    return fresh_copy(_shared_world.world)


@pytest.fixture
def city(request):  # type: ignore[no-untyped-def]
    if _uses_world(request):
        return request.getfixturevalue("world").city
    request.getfixturevalue("db")
    return make_city()


@pytest.fixture
def quartier(request, city):  # type: ignore[no-untyped-def]
    if _uses_world(request):
        return request.getfixturevalue("world").quartier
    return make_quartier(city)


@pytest.fixture
def other_quartier(request, city):  # type: ignore[no-untyped-def]
    if _uses_world(request):
        return request.getfixturevalue("world").other_quartier
    return make_other_quartier(city)


@pytest.fixture
def personas(request, quartier, other_quartier) -> dict[str, User | None]:  # type: ignore[no-untyped-def]
    if _uses_world(request):
        return request.getfixturevalue("world").people
    return make_personas(quartier, other_quartier)


@pytest.fixture
def login(client_for) -> Callable[[World, str], Client]:  # type: ignore[no-untyped-def]
    def make(world: World, persona: str) -> Client:
        user: User | None = world.user(persona)
        return client_for(user)

    return make
