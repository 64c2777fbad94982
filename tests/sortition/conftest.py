"""Draws at each step, built through the services (the engine runs for real on small pools)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from apps.core.models import Territory
from apps.sortition import services
from apps.sortition.models import Draw
from tests.conftest import Personas
from tests.sortition.factories import CATEGORIES, RESULT, DrawFactory, announce, event_passed, people_csv


@pytest.fixture
def make_draw(personas: Personas, quartier: Territory) -> Callable[..., Draw]:
    """A draw of ``quartier`` brought to ``step`` (draft, pool_loaded, computed, announced, drawn).

    "announced": the event is two hours ahead; "drawn": time has passed (``event_passed``) and the
    draw used the event's result ``RESULT``."""

    def make(step: str = "drawn", **extra: Any) -> Draw:
        agent = personas["agent"]
        people = extra.pop("people", None) or people_csv()
        categories = extra.pop("categories", CATEGORIES)
        draw: Draw = DrawFactory.create(territory=quartier, created_by=agent, **extra)
        if step == "draft":
            return draw
        services.pool_import(actor=agent, draw=draw, people=people, categories=categories, people_name="liste.csv")
        if step != "pool_loaded":
            services.probabilities_request(actor=agent, draw=draw)
        if step in ("announced", "drawn"):
            announce(draw, agent)
        if step == "drawn":
            event_passed(draw)
            services.draw_final(actor=agent, draw=draw, event_result=RESULT)
        draw.refresh_from_db()
        return draw

    return make
