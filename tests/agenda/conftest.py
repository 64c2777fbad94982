"""Events of the agenda tests, created through the service (an agent of the quartier)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from apps.agenda import services
from apps.agenda.models import Event
from apps.core.models import Territory
from tests.conftest import Personas

MakeEvent = Callable[..., Event]


@pytest.fixture
def make_event(personas: Personas, quartier: Territory) -> MakeEvent:
    agent = personas["agent"]
    assert agent is not None

    def make(days: float = 7, actor: str = "agent", **extra: Any) -> Event:
        values: dict[str, Any] = {
            "kind": Event.Kind.RENDEZ_VOUS,
            "territory": quartier,
            "title": "Rendez-vous citoyen de Malakoff",
            "starts_at": timezone.now() + datetime.timedelta(days=days),
            "place": "Maison de quartier, 2 rue Ménétrier",
            "is_published": True,
        }
        values.update(extra)
        acting = personas[actor]
        assert acting is not None
        return services.event_create(actor=acting, **values)

    return make
