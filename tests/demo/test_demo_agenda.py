"""The agenda part of the demo city: a month of rendez-vous across the quartiers, past ones with
their minutes and outcomes, future ones with registrations (one full, with a waiting list)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.agenda.models import Event, Outcome, Registration

pytestmark = pytest.mark.django_db


def test_demo_city_has_a_month_of_rendez_vous(demo: None) -> None:
    now = timezone.now()
    events = list(Event.objects.published().prefetch_related("sittings"))
    starts = [event.sitting.starts_at for event in events]
    assert max(starts) - min(starts) >= datetime.timedelta(days=25)
    assert len({event.territory_id for event in events}) >= 3
    past = [event for event in events if event.sitting.starts_at < now]
    future = [event for event in events if event.sitting.starts_at >= now]
    assert any(event.sitting.minutes for event in past)
    assert Outcome.objects.filter(event__in=past).exists()
    confirmed = Registration.objects.filter(event__in=future, status=Registration.Status.CONFIRMED)
    assert confirmed.exists()
    assert Registration.objects.filter(event__in=future, status=Registration.Status.WAITING).exists()
    soonest = min(future, key=lambda event: event.sitting.starts_at)
    page = Client().get(reverse("agenda:list")).content.decode()
    assert soonest.sitting.title.split("'")[0] in page
