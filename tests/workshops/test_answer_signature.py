"""Answers to recommendations go through the same flow as answers to proposals
(:mod:`apps.answers`): an agent drafts and submits, an élu·e (or an agent holding a
« délégation de signature ») signs, and only then is the answer public and its commitments
followed."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.answers.delegations import signature_delegation_grant
from apps.answers.models import Answer
from apps.core.models import Territory
from apps.followup.models import Commitment
from apps.workshops import services
from apps.workshops.models import CitizenOpinion, Recommendation, Workshop
from tests.conftest import Personas
from tests.workshops.factories import add_recommendation, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation(quartier: Territory, personas: Personas) -> Recommendation:
    workshop = make_workshop(
        "answer", territory=quartier, answerer=personas["elu"], state=CitizenOpinion.State.PUBLISHED
    )
    return add_recommendation(workshop)


def _draft(recommendation: Recommendation, actor: User) -> Answer:
    return services.recommendation_answer(
        actor=actor,
        recommendation=recommendation,
        status="adapted",
        reasons="Retenue avec une zone 30 au lieu d'une rue piétonne.",
        commitments=[
            {"title": "Zone 30", "service": None, "planned_date": timezone.localdate() + datetime.timedelta(days=30)}
        ],
    )


def test_an_agent_cannot_publish_a_recommendation_answer(
    recommendation: Recommendation, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draft = _draft(recommendation, personas["agent"])
    assert draft.state == Answer.State.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.recommendation_answer_sign(signer=personas["agent"], answer=draft)
    response = client_for(personas["agent"]).post(
        reverse("workshops_admin:answer_sign", kwargs={"pk": recommendation.pk})
    )
    assert response.status_code == 403
    assert recommendation.answer is None and not Answer.objects.exists()
    assert not Commitment.objects.exists()
    public = client_for(None).get(recommendation.get_absolute_url()).content.decode()
    assert "zone 30 au lieu" not in public


def test_the_elu_signs_and_publishes(
    recommendation: Recommendation, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    _draft(recommendation, personas["agent"])
    response = client_for(personas["elu"]).post(
        reverse("workshops_admin:answer_sign", kwargs={"pk": recommendation.pk})
    )
    assert response.status_code == 302
    answer = Answer.objects.get(recommendation=recommendation)
    assert answer.signer == personas["elu"] and answer.author == personas["agent"]
    assert answer.signed_at is not None and "élu·e" in answer.signed_by
    assert Commitment.objects.get().made_with_residents
    public = client_for(None).get(recommendation.get_absolute_url()).content.decode()
    assert "zone 30 au lieu" in public and answer.signed_by in public


def test_a_delegated_agent_signs(recommendation: Recommendation, personas: Personas) -> None:
    workshop = recommendation.opinion.workshop
    signature_delegation_grant(
        actor=_city_admin(workshop),
        user=personas["agent"],
        title="directrice du dialogue citoyen, par délégation du maire",
        territory=workshop.process.territory,
    )
    draft = _draft(recommendation, personas["agent"])
    answer = services.recommendation_answer_sign(signer=personas["agent"], answer=draft)
    assert answer.state == Answer.State.PUBLISHED
    assert answer.signed_by.endswith("directrice du dialogue citoyen, par délégation du maire")


def _city_admin(workshop: Workshop) -> User:
    from apps.core.models import Role
    from tests.factories import RoleFactory, UserFactory

    admin = UserFactory.create()
    RoleFactory.create(user=admin, role=Role.ADMIN, territory=workshop.process.territory.root())
    return admin
