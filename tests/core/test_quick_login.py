"""The test client's sign-in without a throwaway session (tests/quick_login.py) ends where Django's
own ends: one session holding the same sign-in, ``last_login`` set, the account signed in."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from tests import quick_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in_with(sign_in: Any, user: User) -> tuple[Client, dict[str, Any], int]:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        sign_in(client, user)
    key = client.cookies["sessionid"].value
    return client, Session.objects.get(session_key=key).get_decoded(), len(queries)


def test_same_session_as_djangos_own_sign_in_in_fewer_queries() -> None:
    awa, bruno = UserFactory.create(), UserFactory.create()
    ours, our_session, our_queries = signed_in_with(lambda client, user: client.force_login(user), awa)
    backend = our_session["_auth_user_backend"]  # the one force_login chose
    theirs, their_session, their_queries = signed_in_with(
        lambda client, user: quick_login.django_login(client, user, backend), bruno
    )

    assert set(our_session) == set(their_session)
    assert our_session["_auth_user_id"] == str(awa.pk) and their_session["_auth_user_id"] == str(bruno.pk)
    assert their_session["_auth_user_backend"] == backend
    assert our_session["_auth_user_hash"] == User.objects.get(pk=awa.pk).get_session_auth_hash()
    # One row each: Django's throwaway session is deleted, ours is never made.
    assert Session.objects.count() == 2
    assert our_queries < their_queries
    awa.refresh_from_db()
    bruno.refresh_from_db()
    assert awa.last_login is not None and bruno.last_login is not None
    for client in (ours, theirs):
        assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_client_with_a_session_keeps_it_when_signing_in() -> None:
    client = Client()
    session = client.session
    session["panier"] = "trois projets"
    session.save()
    user = UserFactory.create()
    client.force_login(user)
    kept = Session.objects.get(session_key=client.cookies["sessionid"].value).get_decoded()
    assert kept["panier"] == "trois projets" and kept["_auth_user_id"] == str(user.pk)
    assert Session.objects.count() == 1
