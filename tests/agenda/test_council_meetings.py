"""A council's public meetings appear in the neighbourhood agenda and the quartier's iCal feed,
through the councils' manifest (``public_meetings``): the agenda never imports the councils."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.core.models import Territory
from apps.sittings import services as sittings
from tests.agenda.conftest import MakeEvent
from tests.councils.factories import CouncilFactory

pytestmark = pytest.mark.django_db


def test_published_council_meetings_are_in_the_agenda_and_the_feed(
    make_event: MakeEvent, quartier: Territory, other_quartier: Territory, client: Client
) -> None:
    make_event(title="Rendez-vous citoyen de printemps")
    council = CouncilFactory.create(territory=quartier, name="Conseil citoyen de Malakoff")
    soon = timezone.now() + datetime.timedelta(days=10)
    public = sittings.sitting_create(
        body=council, title="Séance plénière de mai", starts_at=soon, place="Salle Ménétrier", is_published=True
    )
    sittings.sitting_create(body=council, title="Séance en préparation", starts_at=soon, place="X", is_published=False)
    hidden = CouncilFactory.create(territory=quartier, name="Conseil pas encore publié", is_published=False)
    sittings.sitting_create(
        body=hidden, title="Séance du conseil brouillon", starts_at=soon, place="Y", is_published=True
    )
    elsewhere = CouncilFactory.create(territory=other_quartier, name="Conseil du Breil")
    sittings.sitting_create(body=elsewhere, title="Séance du Breil", starts_at=soon, place="Z", is_published=True)

    city_page = client.get(reverse("agenda:list")).content.decode()
    assert "Séance plénière de mai" in city_page and "Séance du Breil" in city_page
    assert "Conseil citoyen de Malakoff" in city_page
    assert council.sitting_url(public) in city_page
    for secret in ("Séance en préparation", "Séance du conseil brouillon"):
        assert secret not in city_page

    page = client.get(reverse("agenda:quartier", kwargs={"slug": quartier.slug})).content.decode()
    assert "Séance plénière de mai" in page and "Séance du Breil" not in page

    body = client.get(reverse("agenda:quartier_feed", kwargs={"slug": quartier.slug})).content
    events = {str(e["summary"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    assert set(events) == {"Rendez-vous citoyen de printemps", "Séance plénière de mai"}
    meeting = events["Séance plénière de mai"]
    assert str(meeting["location"]) == "Salle Ménétrier"
    assert str(meeting["uid"]).startswith(f"councils-sitting-{public.pk}@")
    assert "Conseil citoyen de Malakoff" in str(meeting["description"])

    # Past meetings show with the past rendez-vous.
    past = client.get(reverse("agenda:list"), {"passes": "1"}).content.decode()
    assert "Séance plénière de mai" not in past
