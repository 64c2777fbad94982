"""The personas of a shared world are signed in once (:mod:`tests.shared_sessions`): a test's client
with the shared session is signed in as the right person, and a test signs in on its own wherever
the shared session would differ from the one ``force_login`` makes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from apps.accounts.models import User
from tests.factories import UserFactory
from tests.shared_sessions import open_sessions, sign_in

pytestmark = [pytest.mark.django_db]


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _signed_in_as(client: Client) -> str | None:
    # The dashboard is for signed-in people only: anonymous visitors are sent to sign in.
    response = client.get(reverse("accounts:dashboard"))
    if response.status_code != 200:
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
        return None
    return str(response.wsgi_request.user.pk)


def test_the_shared_session_signs_the_right_person_in() -> None:
    awa, bruno = UserFactory.create(), UserFactory.create()
    sessions = open_sessions([awa, None, bruno])

    client = sign_in(Client(), bruno, sessions)

    assert _session_key(client) == sessions.keys[bruno.pk][0]
    assert _signed_in_as(client) == str(bruno.pk)
    assert _signed_in_as(sign_in(Client(), awa, sessions)) == str(awa.pk)
    assert _signed_in_as(sign_in(Client(), None, sessions)) is None


def test_a_person_without_a_shared_session_signs_in_on_their_own() -> None:
    awa, bruno = UserFactory.create(), UserFactory.create()
    sessions = open_sessions([awa])

    client = sign_in(Client(), bruno, sessions)

    assert _session_key(client) not in {key for key, _ in sessions.keys.values()}
    assert _signed_in_as(client) == str(bruno.pk)
    assert _signed_in_as(sign_in(Client(), bruno, None)) == str(bruno.pk)


def test_a_test_far_in_time_or_after_a_password_change_gets_its_own_session() -> None:
    awa = UserFactory.create()
    sessions = open_sessions([awa])
    shared_key = sessions.keys[awa.pk][0]

    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        travelled = sign_in(Client(), awa, sessions)
        assert _session_key(travelled) != shared_key
        # The shared session has expired by then; the test's own does not.
        assert _signed_in_as(travelled) == str(awa.pk)

    awa.set_password("une-autre-phrase-de-passe")
    awa.save()
    changed = sign_in(Client(), User.objects.get(pk=awa.pk), sessions)
    assert _session_key(changed) != shared_key
    assert _signed_in_as(changed) == str(awa.pk)


def test_sessions_outside_the_database_are_not_shared(settings: Settings) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    awa = UserFactory.create()

    sessions = open_sessions([awa])

    assert not sessions.keys
    assert _signed_in_as(sign_in(Client(), awa, sessions)) == str(awa.pk)
