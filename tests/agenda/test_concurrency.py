"""Fifty people asking for the last places at the same instant, on PostgreSQL through a real HTTP
server (one thread and one database connection per request): the capacity is never exceeded,
everyone else is on the waiting list in one row each; fifty parallel requests of one person leave
one registration."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from apps.accounts.models import User
from apps.agenda.models import Event, Registration
from apps.sittings.models import Sitting
from tests.conftest import make_city, make_quartier
from tests.factories import UserFactory
from tests.security.test_concurrency import _post_all, _session_cookie

pytestmark = pytest.mark.postgres

PARALLEL = 50
CAPACITY = 7


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI runs it there)")


def test_fifty_parallel_registrations_never_exceed_the_capacity(live_server: LiveServer) -> None:
    quartier = make_quartier(make_city())
    event = Event.objects.create(
        kind=Event.Kind.RENDEZ_VOUS, territory=quartier, is_published=True, registration_enabled=True, capacity=CAPACITY
    )
    Sitting.objects.create(
        body=event, title="Rendez-vous", starts_at=timezone.now() + datetime.timedelta(days=3), place="Salle"
    )
    users = User.objects.bulk_create(
        [User(email=f"inscrit{n}@example.org", username=f"inscrit{n}@example.org") for n in range(PARALLEL)]
    )
    path = reverse("agenda:register", kwargs={"pk": event.pk})

    statuses = _post_all(live_server.url, path, [_session_cookie(user) for user in users])

    assert all(status in (302, 303) for status in statuses), statuses
    counts = {
        status: Registration.objects.filter(event=event, status=status).count() for status in ("confirmed", "waiting")
    }
    assert counts == {"confirmed": CAPACITY, "waiting": PARALLEL - CAPACITY}

    one = UserFactory.create()
    statuses = _post_all(live_server.url, path, [_session_cookie(one)] * 20)
    # One person's requests past the rate limit are refused (429); the others all answer.
    assert all(status in (302, 303, 429) for status in statuses), statuses
    assert Registration.objects.filter(event=event, user=one).count() == 1
    assert Registration.objects.filter(event=event, status="confirmed").count() == CAPACITY
