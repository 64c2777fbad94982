"""Issue 8, item 16 (workshops): French plurals in the panel's vote results."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.core.models import Territory
from apps.workshops.models import CitizenOpinion, Recommendation, RecommendationVote
from tests.conftest import Personas
from tests.workshops.factories import add_member, make_workshop

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def test_workshop_votes_say_abstention_in_the_singular(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    workshop = make_workshop(
        "answer", territory=quartier, answerer=personas["elu"], state=CitizenOpinion.State.PUBLISHED
    )
    member = add_member(workshop, personas["resident"])
    recommendation = Recommendation.objects.create(
        opinion=workshop.opinion, number=1, title="Rues", text="Texte", published_text="Texte"
    )
    RecommendationVote.objects.create(recommendation=recommendation, member=member, choice="abstain")
    page = client_for(None).get(workshop.get_absolute_url()).content.decode()
    assert f"Vote du panel{NBSP}: 0 pour, 0 contre, 1 abstention." in page and "abstention(s)" not in page
