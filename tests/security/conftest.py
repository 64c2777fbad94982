"""Fixtures of the security suite: the shared fixture world and an isolated media folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from apps.accounts.models import User
from tests.security.modules import modules_for_url_name
from tests.security.world import World, build_world


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Uploaded files of a test never land in the developer's var/media.
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(request, personas, quartier, other_quartier) -> World:  # type: ignore[no-untyped-def]
    # A matrix case builds only the module part its route needs (the whole world for the rest).
    params = getattr(getattr(request.node, "callspec", None), "params", {})
    route = params.get("route")
    modules = modules_for_url_name(route.name) if route is not None else None
    return build_world(personas, quartier, other_quartier, modules=modules)


@pytest.fixture
def login(client_for) -> Callable[[World, str], Client]:  # type: ignore[no-untyped-def]
    def make(world: World, persona: str) -> Client:
        user: User | None = world.user(persona)
        return client_for(user)

    return make
