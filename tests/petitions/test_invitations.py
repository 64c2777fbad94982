"""The stakeholders of an agora are invited by e-mail: the problem, the sittings planned and the
page; the day is kept; the address is never published nor exported."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.petitions import agoras, exports
from apps.petitions.models import Agora, Stakeholder
from apps.sittings.services import sitting_create
from tests.factories import UserFactory
from tests.petitions.test_petitions import Setup, _client, setup

__all__ = ["setup"]

pytestmark = pytest.mark.django_db


def _agora(setup: Setup) -> Agora:
    agora = agoras.agora_create(
        actor=setup.agent,
        title="Agora des terrasses",
        problem="Les terrasses débordent sur le trottoir et gênent les fauteuils.",
        territory=setup.quartier,
        process=setup.process,
    )
    Agora.objects.filter(pk=agora.pk).update(is_published=True)
    agora.refresh_from_db()
    sitting_create(
        body=agora,
        title="Première séance",
        starts_at=timezone.now() + datetime.timedelta(days=5),
        place="Maison des associations",
        is_published=True,
    )
    return agora


def test_an_invitation_is_sent_with_the_sittings_and_dated(
    setup: Setup, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    agora = _agora(setup)
    client = _client(setup.agent)
    response = client.post(
        reverse("petitions_admin:stakeholder_add", kwargs={"pk": agora.pk}),
        {"kind": "association", "organisation": "Union des commerçants", "email": "pas-une-adresse"},
    )
    assert response.status_code == 400 and "Union des commerçants" in response.content.decode()
    response = client.post(
        reverse("petitions_admin:stakeholder_add", kwargs={"pk": agora.pk}),
        {"kind": "association", "organisation": "Union des commerçants", "email": "union@example.org"},
    )
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get(agora=agora)
    assert stakeholder.invited_on is None
    page = client.get(reverse("petitions_admin:agora", kwargs={"pk": agora.pk})).content.decode()
    assert "Envoyer l&#x27;invitation" in page or "Envoyer l'invitation" in page

    url = reverse("petitions_admin:stakeholder_invite", kwargs={"pk": stakeholder.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert _client(setup.resident).post(url).status_code in (302, 403, 404)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["union@example.org"]
    assert "Agora des terrasses" in message.subject
    assert "Première séance" in message.body and "Maison des associations" in message.body
    assert "gênent les fauteuils" in message.body and agora.get_absolute_url() in message.body
    stakeholder.refresh_from_db()
    assert stakeholder.invited_on == timezone.localdate()

    public = _client(None).get(agora.get_absolute_url()).content.decode()
    assert "Union des commerçants" in public and "union@example.org" not in public
    assert "union@example.org" not in str(list(exports.action_rows(None)))


def test_no_address_no_invitation_and_only_the_quartiers_staff_invites(setup: Setup) -> None:
    agora = _agora(setup)
    by_post = agoras.stakeholder_add(actor=setup.agent, agora=agora, kind="service", organisation="Voirie")
    with pytest.raises(ValidationError, match="adresse électronique"):
        agoras.stakeholder_invite(actor=setup.agent, stakeholder=by_post)
    with_address = agoras.stakeholder_add(
        actor=setup.agent, agora=agora, kind="elu", contact_name="Adjointe", email="adjointe@example.org"
    )
    with pytest.raises(PermissionDenied):
        agoras.stakeholder_invite(actor=UserFactory.create(), stakeholder=with_address)
    assert mail.outbox == [] and Stakeholder.objects.filter(invited_on__isnull=False).count() == 0
