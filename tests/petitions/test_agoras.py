"""Agoras éphémères: 2 to 4 sittings, a diagnosis and an action plan; the dated close turns each
action into a commitment of the follow-up, « fait avec les habitants »."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.models import Role
from apps.followup.models import Commitment
from apps.petitions import agoras
from apps.petitions.models import Agora
from tests.conftest import make_city, make_other_quartier, make_quartier
from tests.factories import ProcessFactory, RoleFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_agora_meets_two_to_four_times_and_closes_into_commitments() -> None:
    city = make_city()
    quartier, elsewhere = make_quartier(city), make_other_quartier(city)
    process = ProcessFactory.create(territory=city, is_published=True)
    agent = UserFactory.create()
    RoleFactory.create(user=agent, role=Role.AGENT, territory=quartier)
    outsider = UserFactory.create()
    RoleFactory.create(user=outsider, role=Role.AGENT, territory=elsewhere)
    agora = agoras.agora_create(
        actor=agent, title="La place la nuit", problem="Bruit.", territory=quartier, process=process
    )
    with pytest.raises(PermissionDenied):
        agoras.action_add(actor=outsider, agora=agora, title="Rien")
    with pytest.raises(ValidationError, match="organisation"):
        agoras.stakeholder_add(actor=agent, agora=agora, kind="resident")
    agoras.stakeholder_add(actor=agent, agora=agora, kind="service", organisation="Tranquillité publique")
    start = timezone.now()

    def sitting(index: int) -> None:
        agoras.agora_sitting_add(
            actor=agent,
            agora=agora,
            title=f"Séance {index}",
            starts_at=start + datetime.timedelta(days=7 * index),
            ends_at=None,
            place="Maison de quartier",
            agenda="Tour de table",
        )

    sitting(1)
    agoras.action_add(actor=agent, agora=agora, title="Médiation de nuit", service=ServiceFactory.create())
    with pytest.raises(ValidationError, match="au moins deux fois"):
        agoras.agora_close(actor=agent, agora=agora, report="Essai.", closed_on=timezone.localdate())
    for index in (2, 3, 4):
        sitting(index)
    with pytest.raises(ValidationError, match="au plus quatre"):
        sitting(5)
    with pytest.raises(ValidationError, match="diagnostic"):
        agoras.agora_close(actor=agent, agora=agora, report="Essai.", closed_on=timezone.localdate())
    agoras.agora_update(
        actor=agent, agora=agora, title=agora.title, problem="Bruit.", diagnosis="Partagé.", is_published=True
    )
    closed = agoras.agora_close(actor=agent, agora=agora, report="Ce qui a été tenté.", closed_on=timezone.localdate())
    assert closed.state == Agora.State.CLOSED and closed.closed_on == timezone.localdate()
    commitment = Commitment.objects.get()
    assert commitment.made_with_residents and commitment.process == process and commitment.title == "Médiation de nuit"
    assert agora.actions.get().commitment_id == commitment.pk
    with pytest.raises(ValidationError, match="close"):
        agoras.action_add(actor=agent, agora=agora, title="Trop tard")


def test_minutes_of_another_body_s_sitting_cannot_be_reached() -> None:
    from django.test import Client
    from django.urls import reverse

    from apps.sittings.models import Sitting

    city = make_city()
    process = ProcessFactory.create(territory=city)
    agent = UserFactory.create()
    RoleFactory.create(user=agent, role=Role.AGENT)
    foreign = Sitting.objects.create(
        body=process, title="Réunion d'un autre organe", starts_at=timezone.now(), place="Salle"
    )
    client = Client()
    client.force_login(agent)
    url = reverse("petitions_admin:minutes", kwargs={"pk": foreign.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"minutes": "Réécrit."}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.minutes == ""
