"""``Client.force_login`` (and ``login``) on a client without a session, without a throwaway session.

Django's test client signs in through a fake request whose session is ``self.session``; on a client
that has none yet, reading that property creates and saves an empty session (a query to find a
free key, then an insert), which ``login()`` then loads, replaces with a new key (``cycle_key``)
and deletes: 15 queries for one sign-in, 7 of them for a row that never outlives the call. About
2,000 tests sign in at least once.

:func:`install` makes a client without a session cookie hand ``login()`` a new, unsaved session
instead, as the test client itself does when ``self.session`` is empty. ``login()`` runs unchanged
(key cycled, ``user_logged_in`` sent, ``last_login`` updated, CSRF token rotated), and the client
ends with the same single session row and cookie: 8 queries. A client that already has a session
(an anonymous visit before signing in) keeps it, through Django's own code.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.test import Client

# Django's own method, kept for the client that already has a session (and for the test that
# compares both: tests/core/test_quick_login.py).
django_login = Client._login  # type: ignore[attr-defined]


def install() -> None:
    if getattr(Client, "_login_without_throwaway_session", False):
        return

    def _login(self: Client, user: Any, backend: str | None = None) -> None:
        if settings.SESSION_COOKIE_NAME in self.cookies:
            django_login(self, user, backend)
            return
        request = HttpRequest()
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        login(request, user, backend)
        request.session.save()
        self._set_login_cookies(request)  # type: ignore[attr-defined]

    Client._login = _login  # type: ignore[attr-defined]
    Client._login_without_throwaway_session = True  # type: ignore[attr-defined]
