"""Every accounts and notifications URL for every persona.

Account pages belong to whoever is signed in: every signed-in persona, staff or not,
reaches its own pages; anonymous people are sent to the login page with ``next``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Territory
from tests.conftest import PERSONAS, Personas

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
def test_account_pages(
    personas: Personas, client_for: Callable[[User | None], Client], persona: str, name: str
) -> None:
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
def test_public_account_pages(
    personas: Personas, client_for: Callable[[User | None], Client], persona: str, name: str
) -> None:
    response = client_for(personas[persona]).get(reverse(name))
    if name == "accounts:signup" and persona != "anonymous":
        assert response.status_code == 302  # already signed in
    else:
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_endpoints_refuse_get(
    personas: Personas, client_for: Callable[[User | None], Client], persona: str, name: str
) -> None:
    assert client_for(personas[persona]).get(reverse(name)).status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["notifications:mark_read", "notifications:follow", "notifications:unfollow"])
def test_notification_posts_need_an_account(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    quartier: Territory,
    persona: str,
    name: str,
) -> None:
    response = client_for(personas[persona]).post(reverse(name), {"kind": "territory", "id": str(quartier.pk)})
    assert response.status_code == 302
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert not response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_export_post_gives_only_own_data(
    personas: Personas, client_for: Callable[[User | None], Client], persona: str
) -> None:
    response = client_for(personas[persona]).post(reverse("accounts:export"))
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert response.json()["account"]["email"] == personas.user(persona).email
        others = [p.email for name, p in personas.items() if p is not None and name != persona]
        assert not any(email in response.content.decode() for email in others)


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_post_needs_the_password(
    personas: Personas, client_for: Callable[[User | None], Client], persona: str
) -> None:
    response = client_for(personas[persona]).post(reverse("accounts:delete"), {"password": "mauvais"})
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        personas.user(persona).refresh_from_db()
        assert not personas.user(persona).is_deleted
