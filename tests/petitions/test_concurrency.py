"""Fifty parallel signature requests from one person leave one signature, from one account or
mixing the account and agents typing the person's paper sheet (PostgreSQL, a real threaded HTTP
server: the unique constraint on the identity key and the petition lock decide, not the view)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from apps.core.models import Role
from apps.petitions.models import Petition, Signature
from tests.conftest import make_city, make_quartier
from tests.factories import ProcessFactory, RoleFactory, UserFactory
from tests.security.test_concurrency import _post_all, _session_cookie

pytestmark = pytest.mark.postgres

PARALLEL = 50


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (CI runs it there)")


IDENTITY = {
    "family_name": "Le Goff",
    "first_name": "Yannick",
    "birth_date": "1961-03-12",
    "address": "3 rue des Lilas",
    "postal_code": "44000",
}


def _assert_raced(statuses: list[int | str]) -> None:
    """Exactly one request was accepted (302), every other one refused with its form (400).
    On a loaded machine the test server may reset a connection or two before Django reads
    them (they never reach the database): at least 45 of the 50 must have raced."""
    answered = [status for status in statuses if isinstance(status, int)]
    unanswered = sorted({str(status) for status in statuses if not isinstance(status, int)})
    assert set(answered) <= {302, 400}, (answered, unanswered)
    assert answered.count(302) == 1 and len(answered) >= PARALLEL - 5, (len(answered), unanswered)


def _petition() -> Petition:
    quartier = make_quartier(make_city())
    now = timezone.now()
    return Petition.objects.create(
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


def test_fifty_parallel_signatures_from_one_person_leave_one(live_server: LiveServer, settings: Any) -> None:
    # The per-person rate limit (30/min) would turn 20 of the 50 away before the race: off here,
    # so that all 50 reach the database together.
    settings.RATELIMIT_ENABLE = False
    petition = _petition()
    user = UserFactory.create(home_territory=petition.territory)
    path = reverse("petitions:sign", kwargs={"pk": petition.pk})
    statuses = _post_all(live_server.url, path, [_session_cookie(user)] * PARALLEL, body=urlencode(IDENTITY))
    # One signs and is sent back to the petition; the others get the form again with the refusal.
    _assert_raced(statuses)
    assert Signature.objects.filter(petition=petition).count() == 1
    petition.refresh_from_db()
    assert petition.signature_count == 1 and petition.reached_at is None


def test_one_person_online_and_on_paper_in_parallel_counts_once(live_server: LiveServer, settings: Any) -> None:
    """Half the requests from the person's account, half from agents typing the person's paper
    sheet (retyped with other case and abbreviations): one signature, whichever channel won."""
    settings.RATELIMIT_ENABLE = False
    petition = _petition()
    person = UserFactory.create(home_territory=petition.territory)
    agents = []
    for _index in range(5):
        agent = UserFactory.create()
        RoleFactory.create(user=agent, role=Role.AGENT, territory=petition.territory)
        agents.append(_session_cookie(agent))
    sign = reverse("petitions:sign", kwargs={"pk": petition.pk})
    paper = reverse("petitions_admin:paper", kwargs={"pk": petition.pk})
    sessions = [_session_cookie(person) if index % 2 else agents[index % 5] for index in range(PARALLEL)]
    paths = [sign if index % 2 else paper for index in range(PARALLEL)]
    retyped = {**IDENTITY, "family_name": "LE GOFF", "address": "3, r. des lilas", "territory": ""}
    statuses = _post_all(live_server.url, sign, sessions, paths=paths, body=urlencode(retyped))
    _assert_raced(statuses)
    signatures = Signature.objects.filter(petition=petition)
    assert signatures.count() == 1
    petition.refresh_from_db()
    assert petition.signature_count == 1
