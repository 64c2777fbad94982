"""Fifty parallel signature requests from one account leave one signature (PostgreSQL, a real
threaded HTTP server: the unique constraint and the petition lock decide, not the view)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from apps.petitions.models import Petition, Signature
from tests.conftest import make_city, make_quartier
from tests.factories import ProcessFactory, UserFactory
from tests.security.test_concurrency import _post_all, _session_cookie

pytestmark = pytest.mark.postgres

PARALLEL = 50


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI runs it there)")


def test_fifty_parallel_signatures_from_one_person_leave_one(live_server: LiveServer, settings: Any) -> None:
    # The per-person rate limit (30/min) would turn 20 of the 50 away before the race: off here,
    # so that all 50 reach the database together.
    settings.RATELIMIT_ENABLE = False
    quartier = make_quartier(make_city())
    now = timezone.now()
    petition = Petition.objects.create(
        title="Des bancs sur la place",
        body="Texte.",
        recipient="Le maire",
        territory=quartier,
        process=ProcessFactory.create(territory=quartier),
        threshold=2,
        verification="email",
        duration_days=30,
        answer_days=30,
        state="collecting",
        published_at=now,
        closes_at=now + datetime.timedelta(days=30),
        committee_token="jeton",
    )
    user = UserFactory.create(home_territory=quartier)
    path = reverse("petitions:sign", kwargs={"pk": petition.pk})
    statuses = _post_all(live_server.url, path, [_session_cookie(user)] * PARALLEL)
    assert statuses == [302] * PARALLEL, statuses
    assert Signature.objects.filter(petition=petition).count() == 1
    petition.refresh_from_db()
    assert petition.signature_count == 1 and petition.reached_at is None
