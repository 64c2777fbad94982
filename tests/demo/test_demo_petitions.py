"""The petitions part of the demo city: one petition collecting, one past its threshold whose
answer opened an agora éphémère, one refused with its public reason, an auto-saisine that opened
a draft process, and the closed agora whose action plan is in the follow-up."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.followup.models import Commitment
from apps.petitions.models import Agora, Petition, Route

pytestmark = pytest.mark.django_db


def test_demo_city_petitions_and_agora(demo: None) -> None:
    collecting = Petition.objects.get(state="collecting", route="", kind="petition")
    assert 0 < collecting.signature_count < collecting.threshold
    answered = Petition.objects.get(route=Route.AGORA)
    assert answered.reached_at is not None and answered.signature_count >= answered.threshold
    rejected = Petition.objects.get(state="rejected")
    assert "charte" in rejected.rejection_reason
    saisine = Petition.objects.get(kind="saisine")
    assert saisine.route == Route.PROCESS and saisine.created_process is not None
    assert not saisine.created_process.is_published
    agora = Agora.objects.get(petition=answered)
    assert agora.state == Agora.State.CLOSED and agora.closed_on and agora.sittings.count() == 2
    commitments = Commitment.objects.filter(pk__in=agora.actions.values("commitment"))
    assert commitments.count() == 3 and all(c.made_with_residents for c in commitments)
    client = Client()
    for url in (answered.get_absolute_url(), rejected.get_absolute_url(), agora.get_absolute_url()):
        assert client.get(url).status_code == 200
    assert "Agora éphémère" in client.get(answered.get_absolute_url()).content.decode()
