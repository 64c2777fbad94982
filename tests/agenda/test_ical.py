"""The iCal feeds, parsed back with the ``icalendar`` library: a quartier's public events, and a
person's own events through a secret, revocable address that gives nothing about anyone else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from apps.accounts.models import User
from apps.agenda import services
from apps.agenda.models import CalendarToken
from apps.core.models import Territory
from tests.agenda.conftest import MakeEvent
from tests.conftest import Personas
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _parse(body: bytes) -> dict[str, dict[str, str]]:
    calendar = Calendar.from_ical(body)
    return {str(e["summary"]): {k: str(v) for k, v in e.items()} for e in calendar.walk("VEVENT")}


def test_quartier_feed_lists_its_public_events_and_marks_cancellations(
    make_event: MakeEvent, personas: Personas, quartier: Territory, other_quartier: Territory, client: Client
) -> None:
    agent = personas["agent"]
    assert agent is not None
    make_event(title="Balade du printemps", online_url="https://visio.example.org/b")
    cancelled = make_event(title="Rendez-vous annulé")
    services.event_cancel(actor=agent, event=cancelled, reason="Salle indisponible.")
    make_event(title="Brouillon", is_published=False)
    make_event(title="Ailleurs", territory=other_quartier, actor="admin_elsewhere")

    response = client.get(reverse("agenda:quartier_feed", kwargs={"slug": quartier.slug}))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = _parse(response.content)
    assert set(events) == {"Balade du printemps", "Rendez-vous annulé"}
    assert events["Rendez-vous annulé"]["STATUS"] == "CANCELLED"
    assert "Salle indisponible." in events["Rendez-vous annulé"]["DESCRIPTION"]
    assert "https://visio.example.org/b" in events["Balade du printemps"]["DESCRIPTION"]
    assert events["Balade du printemps"]["LOCATION"] == "Maison de quartier, 2 rue Ménétrier"
    assert len({e["UID"] for e in events.values()}) == 2


def test_personal_feed_is_secret_revocable_and_about_the_person_only(
    make_event: MakeEvent, client_for: Callable[[User | None], Client], client: Client
) -> None:
    mine = make_event(title="Mon rendez-vous", registration_enabled=True, capacity=1)
    theirs = make_event(title="Pas le mien", registration_enabled=True)
    person = UserFactory.create(email="moi@example.org")
    other = UserFactory.create(email="voisine-secrete@example.org", display_name="Voisine Secrète")
    services.register(user=person, event=mine, childcare=True, interpretation="tamoul")
    services.register(user=other, event=mine)  # waiting list
    services.register(user=other, event=theirs)

    browser = client_for(person)
    browser.post(reverse("agenda:feed_renew"))
    page = browser.get(reverse("agenda:mine")).content.decode()
    feed_url = page.split('id="adresse-agenda" type="text" readonly value="', 1)[1].split('"', 1)[0]
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    # Shown once: the next visit no longer shows it, and the database keeps only its digest.
    assert feed_url not in browser.get(reverse("agenda:mine")).content.decode()
    assert not CalendarToken.objects.filter(digest=token).exists()

    response = client.get(reverse("agenda:personal_feed", kwargs={"token": token}))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert set(_parse(response.content)) == {"Mon rendez-vous"}
    text = response.content.decode()
    for secret in ("voisine-secrete", "Voisine Secrète", "moi@example.org", "tamoul", "garde"):
        assert secret not in text

    browser.post(reverse("agenda:feed_renew"))  # a new address: the old one stops working
    assert client.get(reverse("agenda:personal_feed", kwargs={"token": token})).status_code == 404
    browser.post(reverse("agenda:feed_revoke"))
    assert not CalendarToken.objects.filter(user=person).exists()
    for guess in ("", "x" * 400, "%00", "../../etc"):
        # A NUL byte is refused before any view (400); anything else finds no feed.
        assert client.get(f"/agenda/flux/{guess}.ics").status_code in (400, 404)
