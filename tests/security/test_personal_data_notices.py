"""Issue 8, item 10: every form that collects personal data carries the short information
notice (who, why, legal basis, link to the privacy page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from tests.security.world import World

NOTICE = 'class="personal-data-notice"'


def _sortition(world: World) -> Any:
    return world.extra["sortition"]


def _voting(world: World) -> Any:
    return world.extra["budgets_voting"]


FORMS = [
    ("profile", "resident", lambda w: reverse("accounts:profile")),
    ("volunteer", "resident", lambda w: reverse("sortition:volunteer", kwargs={"slug": _sortition(w).call.slug})),
    ("paper-entry", "agent", lambda w: reverse("proposals_admin:paper_entry", kwargs={"pk": w.process.pk})),
    (
        "ballot-birth-date",
        "resident",
        lambda w: reverse(
            "budgets:ballot",
            kwargs={"slug": _voting(w).budget.process.slug, "envelope_pk": _voting(w).city_envelope.pk},
        ),
    ),
    (
        "paper-ballot",
        "agent",
        lambda w: reverse("budgets_admin:paper_new", kwargs={"envelope_pk": _voting(w).city_envelope.pk}),
    ),
]


@pytest.mark.parametrize(("name", "persona", "build"), FORMS, ids=[form[0] for form in FORMS])
def test_forms_collecting_personal_data_carry_the_notice(
    name: str, persona: str, build: Callable[[World], str], world: World, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(world.user(persona)).get(build(world))
    assert response.status_code == 200, name
    html = response.content.decode()
    assert NOTICE in html, name
    notice = html.split(NOTICE, 1)[1].split("</div>", 1)[0]
    assert reverse("pages:privacy") in notice
    assert "intérêt public" in notice and "Ville de Nantes" in notice
    if name == "ballot-birth-date":
        assert 'name="birth_date"' in html
