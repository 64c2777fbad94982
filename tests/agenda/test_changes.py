"""A change of date, place or online link tells everyone registered and raises the iCal SEQUENCE,
so that calendar applications replace their copy; a change of anything else does neither."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from apps.agenda import services
from apps.core.models import Territory
from apps.notifications.models import Notification
from tests.agenda.conftest import MakeEvent
from tests.conftest import Personas
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _feed(client: Client, quartier: Territory) -> dict[str, int]:
    body = client.get(reverse("agenda:quartier_feed", kwargs={"slug": quartier.slug})).content
    return {str(e["summary"]): int(str(e["sequence"])) for e in Calendar.from_ical(body).walk("VEVENT")}


def test_a_new_time_or_place_tells_the_registered_and_raises_the_sequence(
    make_event: MakeEvent,
    personas: Personas,
    quartier: Territory,
    client: Client,
    django_capture_on_commit_callbacks: object,
) -> None:
    agent = personas["agent"]
    assert agent is not None
    event = make_event(title="Rendez-vous du Breil", registration_enabled=True, capacity=1)
    confirmed, waiting, gone = (UserFactory.create() for _index in range(3))
    services.register(user=confirmed, event=event)
    services.register(user=waiting, event=event)
    services.registration_cancel(user=gone, registration=services.register(user=gone, event=event))
    assert _feed(client, quartier) == {"Rendez-vous du Breil": 0}

    # Anything but the date, place or link: nobody is disturbed, calendars keep their copy.
    services.event_update(actor=agent, event=event, summary="Ordre du jour enrichi.")
    assert not Notification.objects.exists()
    assert _feed(client, quartier) == {"Rendez-vous du Breil": 0}

    later = event.sitting.starts_at + datetime.timedelta(days=2, hours=1)
    services.event_update(actor=agent, event=event, starts_at=later, place="École Urbain-Le-Verrier, préau")
    told = Notification.objects.filter(title__startswith="Changement : « Rendez-vous du Breil »")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([confirmed.pk, waiting.pk])
    notice = told.get(user=confirmed)
    assert "École Urbain-Le-Verrier, préau" in notice.body and later.astimezone().strftime("%d/%m/%Y") in notice.body
    assert notice.url == event.get_absolute_url()
    assert _feed(client, quartier) == {"Rendez-vous du Breil": 1}

    services.event_update(actor=agent, event=event, online_url="https://visio.example.org/breil")
    assert told.count() == 4
    assert _feed(client, quartier) == {"Rendez-vous du Breil": 2}

    services.event_cancel(actor=agent, event=event, reason="Salle inondée.")
    assert _feed(client, quartier) == {"Rendez-vous du Breil": 3}
    assert mail.outbox == [] or all("Breil" in message.subject for message in mail.outbox)
