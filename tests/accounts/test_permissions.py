"""Every accounts and notifications URL for every persona.

Account pages belong to whoever is signed in: every signed-in persona, staff or not,
reaches its own pages; anonymous people are sent to the login page with ``next``.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

SIGNED_IN_GET = [
    "accounts:dashboard",
    "accounts:profile",
    "accounts:export",
    "accounts:delete",
    "accounts:census_check",
    "notifications:inbox",
]
PUBLIC_GET = [
    "accounts:signup",
    "accounts:login",
    "accounts:magic_link",
    "accounts:magic_login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "accounts:confirm_email",
]
POST_ONLY = [
    "accounts:logout",
    "accounts:resend_confirmation",
    "notifications:mark_read",
    "notifications:follow",
    "notifications:unfollow",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", SIGNED_IN_GET)
def test_account_pages(personas, client_for, persona: str, name: str) -> None:  # type: ignore[no-untyped-def]
    url = reverse(name)
    response = client_for(personas[persona]).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", PUBLIC_GET)
def test_public_account_pages(personas, client_for, persona: str, name: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(personas[persona]).get(reverse(name))
    if name == "accounts:signup" and persona != "anonymous":
        assert response.status_code == 302  # already signed in
    else:
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_endpoints_refuse_get(personas, client_for, persona: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(personas[persona]).get(reverse(name)).status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["notifications:mark_read", "notifications:follow", "notifications:unfollow"])
def test_notification_posts_need_an_account(personas, client_for, quartier, persona: str, name: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(personas[persona]).post(reverse(name), {"kind": "territory", "id": str(quartier.pk)})
    assert response.status_code == 302
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert not response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_export_post_gives_only_own_data(personas, client_for, persona: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(personas[persona]).post(reverse("accounts:export"))
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert response.json()["account"]["email"] == personas[persona].email
        others = [p.email for name, p in personas.items() if p is not None and name != persona]
        assert not any(email in response.content.decode() for email in others)


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_post_needs_the_password(personas, client_for, persona: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(personas[persona]).post(reverse("accounts:delete"), {"password": "mauvais"})
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        personas[persona].refresh_from_db()
        assert not personas[persona].is_deleted
