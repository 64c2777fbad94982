"""Item 7: an agent at a counter checks identity and proof of address; scope and audit."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from apps.accounts import verification
from apps.accounts.models import User, VerificationRecord
from apps.core.models import AuditLogEntry, Role, Territory
from tests.conftest import Personas
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def person_url(person: User) -> str:
    return reverse("backoffice:verification_person", kwargs={"pk": person.pk})


def test_an_agent_of_the_quartier_verifies_a_resident_and_corrects_the_birth_date(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory
) -> None:
    agent, resident = personas["agent"], personas["resident"]
    User.objects.filter(pk=resident.pk).update(birth_date=datetime.date(2011, 5, 4))
    verification.lock_birth_date(user=User.objects.get(pk=resident.pk))
    client = client_for(agent)
    found = client.get(reverse("backoffice:verification"), {"email": resident.email.upper()})
    assert found.status_code == 302 and found["Location"] == person_url(resident)
    assert client.get(person_url(resident)).status_code == 200
    response = client.post(
        person_url(resident), {"documents_checked": "on", "quartier": quartier.pk, "birth_date": "04/05/2009"}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.verification == "verified" and resident.home_territory == quartier
    assert resident.birth_date == datetime.date(2009, 5, 4) and resident.birth_date_locked_at is not None
    record = VerificationRecord.objects.get(user=resident)
    assert (record.method, record.level, record.territory, record.verified_by) == (
        "counter",
        "verified",
        quartier,
        agent,
    )
    entry = AuditLogEntry.objects.get(action="account.verified")
    assert entry.actor == agent and entry.target_id == str(resident.pk)
    assert entry.details["method"] == "counter" and entry.details["birth_date_changed"] is True
    assert entry.details["previous_level"] == "email"
    assert "2009" not in str(entry.details) and "2011" not in str(entry.details)


def test_the_documents_must_be_checked_and_errors_are_french(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory
) -> None:
    resident = personas["resident"]
    response = client_for(personas["agent"]).post(
        person_url(resident), {"quartier": quartier.pk, "birth_date": "99/99"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cochez cette case" in html and "JJ/MM/AAAA" in html
    resident.refresh_from_db()
    assert resident.verification == "email"


def test_an_agent_cannot_verify_someone_of_another_quartier_nor_place_them_there(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    quartier: Territory,
    other_quartier: Territory,
) -> None:
    agent = personas["agent"]
    elsewhere = UserFactory.create(home_territory=other_quartier)
    client = client_for(agent)
    search = client.get(reverse("backoffice:verification"), {"email": elsewhere.email})
    assert search.status_code == 400 and "hors de votre périmètre" in search.content.decode()
    assert client.get(person_url(elsewhere)).status_code == 403
    assert client.post(person_url(elsewhere), {"documents_checked": "on", "quartier": quartier.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        verification.counter_verify(agent=agent, person=elsewhere, quartier=quartier)
    # A person who has not said where they live may be verified, but only into the agent's scope.
    newcomer = UserFactory.create(home_territory=None)
    refused = client.post(person_url(newcomer), {"documents_checked": "on", "quartier": other_quartier.pk})
    assert refused.status_code == 400 and "Choisissez un quartier de votre périmètre" in refused.content.decode()
    assert client.post(person_url(newcomer), {"documents_checked": "on", "quartier": quartier.pk}).status_code == 302
    elsewhere.refresh_from_db()
    newcomer.refresh_from_db()
    assert (elsewhere.verification, newcomer.verification) == ("email", "verified")


def test_admin_of_another_territory_and_non_agents_are_refused(
    client_for: Callable[[User | None], Client], personas: Personas
) -> None:
    resident = personas["resident"]
    assert client_for(personas["admin_elsewhere"]).get(person_url(resident)).status_code == 403
    for name in ("resident", "other_resident", "elu", "moderator"):
        assert client_for(personas[name]).get(reverse("backoffice:verification")).status_code == 403, name
        assert client_for(personas[name]).get(person_url(resident)).status_code == 403, name
    anonymous = client_for(None).get(person_url(resident))
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    assert not VerificationRecord.objects.exists()


def test_nobody_verifies_their_own_account(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory
) -> None:
    agent = personas["agent"]
    User.objects.filter(pk=agent.pk).update(home_territory=quartier)
    client = client_for(agent)
    assert "propre compte" in client.get(reverse("backoffice:verification"), {"email": agent.email}).content.decode()
    assert client.post(person_url(agent), {"documents_checked": "on", "quartier": quartier.pk}).status_code == 403


def test_a_city_agent_verifies_anyone_of_the_city(
    client_for: Callable[[User | None], Client], city: Territory, other_quartier: Territory
) -> None:
    city_agent = UserFactory.create()
    RoleFactory.create(user=city_agent, role=Role.AGENT, territory=city)
    person = UserFactory.create(home_territory=other_quartier)
    response = client_for(city_agent).post(
        person_url(person), {"documents_checked": "on", "quartier": other_quartier.pk}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.verification == "verified"


def test_an_unknown_address_is_said_in_french(client_for: Callable[[User | None], Client], personas: Personas) -> None:
    response = client_for(personas["agent"]).get(reverse("backoffice:verification"), {"email": "personne@example.org"})
    assert response.status_code == 400
    assert "Aucun compte n&#x27;utilise cette adresse" in response.content.decode()
