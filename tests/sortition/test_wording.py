"""Issue 8, item 16 (sortition, workshops, councils): French wording of the interface.

Plurals through ngettext, human labels instead of raw column names, non-breaking spaces before
« : », grouped thousands.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.sortition import bridge, services
from apps.sortition.models import Draw, DrawAttempt, PoolMember
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def test_one_alternate_is_singular(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("drawn")
    member = draw.members.filter(status=PoolMember.Status.SELECTED).first()
    assert member is not None
    services.member_set_status(actor=personas["agent"], member=member, status=PoolMember.Status.DECLINED)
    response = client_for(personas["agent"]).post(
        reverse("sortition_admin:alternates", kwargs={"pk": draw.pk}), follow=True
    )
    page = response.content.decode()
    assert "1 remplaçant·e tiré·e au sort." in page and "(s)" not in page


def test_column_names_are_shown_as_labels(
    make_draw: Callable[..., Draw], personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    assert bridge.column_label("tranche_age") == "Tranche d'âge"
    assert bridge.column_label("prenom") == "Prénom"
    assert bridge.column_label("situation_familiale") == "Situation familiale"
    draw = make_draw("drawn")
    page = client_for(personas["agent"]).get(reverse("sortition_admin:draw", kwargs={"pk": draw.pk})).content.decode()
    assert "Catégorie « Genre »" in page and "Catégorie « genre »" not in page
    # Personal data of the people drawn: « Courriel : … », not « courriel : … ».
    assert f"Courriel{NBSP}:" in page and "courriel :" not in page
    assert f"la plus forte{NBSP}:" in page


def test_large_pools_are_printed_with_grouped_thousands(
    make_draw: Callable[..., Draw], client_for: Callable[[User | None], Client]
) -> None:
    draw = make_draw("drawn")
    DrawAttempt.objects.create(
        draw=draw,
        kind=DrawAttempt.Kind.PREVIEW,
        outcome={"ok": True, "people": 36000, "min_probability": 0.01, "seconds": 12.5},
    )
    page = client_for(None).get(draw.get_absolute_url()).content.decode()
    assert f"36{NBSP}000 personnes" in page and "36000 personnes" not in page


def test_volunteer_questions_have_human_labels(
    make_draw: Callable[..., Draw], client_for: Callable[[User | None], Client]
) -> None:
    from apps.sortition.forms import VolunteerForm

    draw = make_draw("draft")
    draw.categories_csv = "category,feature,min,max\ntranche_age,jeune,1,2\ntranche_age,senior,1,2\n"
    assert VolunteerForm(draw=draw).fields["q0"].label == "Tranche d'âge"
