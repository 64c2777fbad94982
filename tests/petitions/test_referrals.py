"""A petition routed to a council's agenda or to a workshop mandate: the answer carries the route
out through the other module's manifest (``take_referral``), never by importing it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.answers.models import Answer
from apps.petitions.answering import answer_published
from apps.petitions.models import Petition, Route
from apps.workshops.models import Workshop
from tests.councils.factories import CouncilFactory, MeetingFactory
from tests.petitions.test_petitions import Setup, _client, _published
from tests.petitions.test_petitions import setup as setup  # the fixture

pytestmark = pytest.mark.django_db


def _answer(s: Setup, petition: Petition, route: str) -> Petition:
    Petition.objects.filter(pk=petition.pk).update(reached_at=timezone.now())
    answer = Answer.objects.create(source=petition, process=s.process, status=route, body="Oui.", state="published")
    answer_published(s.elu, answer)
    petition.refresh_from_db()
    return petition


def test_the_council_route_puts_the_subject_on_the_next_published_meeting(setup: Setup) -> None:
    soon = timezone.now() + datetime.timedelta(days=10)
    city_council = CouncilFactory.create(territory=setup.city)
    city_meeting = MeetingFactory.create(council=city_council, starts_at=soon, is_published=True, agenda="")
    council = CouncilFactory.create(territory=setup.quartier)
    MeetingFactory.create(council=council, starts_at=timezone.now() - datetime.timedelta(days=3), is_published=True)
    MeetingFactory.create(council=council, starts_at=soon, is_published=False)  # not announced yet
    later = MeetingFactory.create(council=council, starts_at=soon + datetime.timedelta(days=20), is_published=True)
    later.agenda = "- Budget du conseil"
    later.save()

    petition = _answer(setup, _published(setup), Route.COUNCIL)

    later.refresh_from_db()
    city_meeting.refresh_from_db()
    assert later.agenda.startswith("- Budget du conseil\n\n- Sujet porté par des habitant·es")
    assert petition.get_absolute_url() in later.agenda
    assert city_meeting.agenda == ""  # the quartier's own council comes first
    assert petition.route == Route.COUNCIL and petition.route_url == council.sitting_url(later)
    page = _client(None).get(petition.get_absolute_url()).content.decode()
    assert f'href="{petition.route_url}"' in page


def test_the_council_route_falls_back_on_the_city_council_and_else_stays_recorded(setup: Setup) -> None:
    petition = _answer(setup, _published(setup), Route.COUNCIL)
    assert petition.route == Route.COUNCIL and petition.route_url == ""  # no council anywhere: by hand

    city_council = CouncilFactory.create(territory=setup.city)
    meeting = MeetingFactory.create(
        council=city_council, starts_at=timezone.now() + datetime.timedelta(days=5), is_published=True, agenda=""
    )
    other = _answer(setup, _published(setup, "Un abri pour les vélos"), Route.COUNCIL)
    meeting.refresh_from_db()
    assert other.route_url == city_council.sitting_url(meeting)
    assert "Un abri pour les vélos" in meeting.agenda


def test_the_workshop_route_drafts_a_mandate_answered_by_the_signing_elu(setup: Setup) -> None:
    petition = _answer(setup, _published(setup), Route.WORKSHOP)
    workshop = Workshop.objects.select_related("process").get(process__title=petition.title)
    assert not workshop.process.is_published and not workshop.is_mandate_published
    assert workshop.process.territory == setup.quartier
    assert workshop.question == petition.body and workshop.answerer == setup.elu
    assert petition.get_absolute_url() in workshop.process.description
    assert petition.route_url == workshop.process.get_absolute_url()
    page = _client(None).get(petition.get_absolute_url()).content.decode()
    assert "projet de mandat d'atelier citoyen est en préparation" in page
    assert petition.route_url not in page  # a draft is not linked publicly
