"""The public pages without JavaScript: register, propose a subject, comment; refused input comes
back with French errors and what the person typed; the lists stay within a query budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.agenda import services
from apps.agenda.models import AgendaItem, Registration
from apps.core.models import Territory
from tests.agenda.conftest import MakeEvent
from tests.conftest import Personas, body_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_register_without_javascript_then_cancel(
    make_event: MakeEvent, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    event = make_event(registration_enabled=True, capacity=1)
    resident = personas["resident"]
    assert resident is not None
    browser = client_for(resident)
    page = browser.get(event.get_absolute_url()).content.decode()
    assert f'action="/agenda/{event.pk}/inscription/"' in page and "1 place restante." in page

    response = browser.post(reverse("agenda:register", kwargs={"pk": event.pk}), {"step_free": "on"}, follow=True)
    text = response.content.decode()
    assert "Votre place est réservée." in text and "Complet." in text
    assert Registration.objects.get(event=event, user=resident).step_free is True

    other = client_for(personas["other_resident"])
    text = other.post(reverse("agenda:register", kwargs={"pk": event.pk}), {}, follow=True).content.decode()
    assert "liste d'attente (rang 1)" in text

    browser.post(reverse("agenda:unregister", kwargs={"pk": event.pk}))
    assert Registration.objects.get(event=event, user=personas["other_resident"]).status == "confirmed"


def test_bad_registration_input_is_explained_in_french_and_kept(
    make_event: MakeEvent, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    event = make_event(registration_enabled=True)
    browser = client_for(personas["resident"])
    typed: dict[str, Any] = {"childcare": "on", "interpretation": "langue " * 20}
    response = browser.post(reverse("agenda:register", kwargs={"pk": event.pk}), typed)
    text = body_of(response).decode()
    assert response.status_code == 400
    assert "Assurez-vous que cette valeur comporte au plus 60 caractères" in text
    assert "langue langue" in text  # what was typed stays in the field
    assert '<input type="checkbox" name="childcare" id="id_childcare" checked>' in text
    assert not Registration.objects.filter(event=event).exists()


def test_subject_proposal_errors_keep_the_text(
    make_event: MakeEvent, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    event = make_event()
    browser = client_for(personas["resident"])
    response = browser.post(
        reverse("agenda:item_propose", kwargs={"pk": event.pk}),
        {"sequence": "debat", "title": "", "body": "Les voitures roulent vite devant l'école Ménétrier."},
    )
    text = body_of(response).decode()
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in text and "Les voitures roulent vite devant l&#x27;école Ménétrier." in text
    response = browser.post(
        reverse("agenda:item_propose", kwargs={"pk": event.pk}), {"sequence": "inconnue", "title": "Sujet"}
    )
    assert response.status_code == 400 and "Sélectionnez un choix valide" in body_of(response).decode()
    browser.post(reverse("agenda:item_propose", kwargs={"pk": event.pk}), {"sequence": "debat", "title": "Traversées"})
    item = AgendaItem.objects.get(event=event)
    client_for(personas["other_resident"]).post(reverse("agenda:item_support", kwargs={"pk": item.pk}))
    item.refresh_from_db()
    assert item.support_count == 1


def test_the_thread_opens_after_the_meeting(
    make_event: MakeEvent, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    before, after = make_event(), make_event(days=-1)
    browser = client_for(personas["resident"])
    assert browser.post(reverse("agenda:comment", kwargs={"pk": before.pk}), {"body": "Trop tôt"}).status_code == 403
    response = browser.post(reverse("agenda:comment", kwargs={"pk": after.pk}), {"body": "Merci pour la réunion."})
    assert response.status_code == 302
    assert "Merci pour la réunion." in browser.get(after.get_absolute_url()).content.decode()
    empty = browser.post(reverse("agenda:comment", kwargs={"pk": after.pk}), {"body": ""})
    assert empty.status_code == 400


def test_agenda_pages_show_published_events_within_a_query_budget(
    make_event: MakeEvent,
    quartier: Territory,
    client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for index in range(12):
        event = make_event(title=f"Rendez-vous {index}", registration_enabled=True)
        services.register(user=UserFactory.create(), event=event)
    make_event(title="Brouillon secret", is_published=False)
    with django_assert_max_num_queries(12):
        text = client.get(reverse("agenda:quartier", kwargs={"slug": quartier.slug})).content.decode()
    assert "Rendez-vous 11" in text and "Brouillon secret" not in text
    with django_assert_max_num_queries(12):
        assert client.get(reverse("agenda:list")).status_code == 200
