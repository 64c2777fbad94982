"""Issue 8, item 16 (workshops): French plurals in the panel's vote results."""

from __future__ import annotations

import pytest

from apps.workshops.models import CitizenOpinion, Recommendation, RecommendationVote
from tests.workshops.factories import add_member, make_workshop

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def test_workshop_votes_say_abstention_in_the_singular(quartier, personas, client_for) -> None:  # type: ignore[no-untyped-def]
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
