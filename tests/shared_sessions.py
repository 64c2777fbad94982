"""Personas of a shared world signed in once, when the world is built, not once per test.

``Client.force_login`` costs about eight queries: a session saved by the client, its key cycled
by ``login`` (the old row deleted, a new one inserted), ``last_login`` updated, the session saved
again. A matrix case signs one persona in, so of its ~30 queries a quarter were the sign-in. The
personas of a world built once (:mod:`tests.shared_rows`) are now signed in once, inside the shared
transaction, with ``force_login`` itself; each test's client gets the cookie of that session. What
a test does to the session (sign out, a cycled key, data stored in it) is rolled back with the
test's savepoint like any other row, so no test sees another's session.

A test falls back to its own ``force_login`` where the shared session would not be the one it
would have made: sessions not kept in the database (a cache is cleared between tests), a clock
moved away from the time the sessions were made (a test travelling in time gets a session made at
its own time, so expiry stays as it was), or an account changed in a way that ends its sessions
(password: the session's hash no longer matches).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User

DB_SESSIONS = "django.contrib.sessions.backends.db"
# Beyond this distance from the time the sessions were made, a test signs in on its own.
SAME_TIME = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class SharedSessions:
    # user pk -> (session key, the session's auth hash when made)
    keys: Mapping[int, tuple[str, str]]
    made_at: datetime.datetime


def open_sessions(users: Iterable[User | None]) -> SharedSessions:
    """Sign each user in once (with ``force_login``) and keep the session keys; nothing is kept
    when sessions do not live in the database."""
    keys: dict[int, tuple[str, str]] = {}
    if settings.SESSION_ENGINE == DB_SESSIONS:
        for user in users:
            if user is not None:
                client = Client()
                client.force_login(user)
                key = client.cookies[settings.SESSION_COOKIE_NAME].value
                keys[user.pk] = (key, SessionStore(key)[HASH_SESSION_KEY])
    return SharedSessions(keys=keys, made_at=timezone.now())


def sign_in(client: Client, user: User | None, sessions: SharedSessions | None) -> Client:
    """Sign ``user`` in on ``client``: the shared session when it is the one ``force_login`` would
    make now, else ``force_login``. ``None`` leaves the client anonymous."""
    if user is None:
        return client
    shared = sessions.keys.get(user.pk) if sessions is not None else None
    if (
        shared is not None
        and sessions is not None
        and settings.SESSION_ENGINE == DB_SESSIONS
        and abs(timezone.now() - sessions.made_at) < SAME_TIME
        and shared[1] == user.get_session_auth_hash()
    ):
        client.cookies[settings.SESSION_COOKIE_NAME] = shared[0]
    else:
        client.force_login(user)
    return client
