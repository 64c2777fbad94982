"""Rate limits answer HTTP 429 with the French page (sign-up, sign-in, password reset, posting)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from tests.security.world import World

MAX_ATTEMPTS = 60


def _until_429(send: Callable[[int], Any]) -> tuple[int, Any]:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        response = send(attempt)
        if response.status_code == 429:
            return attempt, response
        assert response.status_code < 500, f"attempt {attempt}: {response.status_code}"
    raise AssertionError(f"no 429 after {MAX_ATTEMPTS} attempts")


def _assert_french_429(response: Any) -> None:
    body = response.content.decode()
    assert response.status_code == 429
    assert "Trop de tentatives" in body and "patienter" in body, body[:400]
    assert '<html lang="fr"' in body


def test_signup_is_rate_limited(world: World) -> None:
    client = Client()
    attempts, response = _until_429(
        lambda n: client.post(
            reverse("accounts:signup"),
            {"email": f"robot{n}@example.org", "display_name": f"Robot {n}", "password": "une-phrase-solide-42"},
        )
    )
    _assert_french_429(response)
    assert attempts > 1, "the very first sign-up was refused"


def test_login_is_rate_limited(world: World) -> None:
    client = Client()
    _attempts, response = _until_429(
        lambda n: client.post(reverse("accounts:login"), {"email": "awa@example.org", "password": f"essai-{n}"})
    )
    _assert_french_429(response)


def test_login_limit_also_holds_across_addresses(world: World) -> None:
    # Per e-mail address too: rotating the client address does not help guess one password.
    user = world.user("resident")
    assert user is not None
    _attempts, response = _until_429(
        lambda n: Client(REMOTE_ADDR=f"10.0.{n // 250}.{n % 250 + 1}").post(
            reverse("accounts:login"), {"email": user.email, "password": f"essai-{n}"}
        )
    )
    _assert_french_429(response)


def test_password_reset_is_rate_limited(world: World, mailoutbox: list[EmailMessage]) -> None:
    client = Client()
    _attempts, response = _until_429(
        lambda n: client.post(reverse("accounts:password_reset"), {"email": f"quelquun{n}@example.org"})
    )
    _assert_french_429(response)


def test_magic_link_is_rate_limited(world: World, mailoutbox: list[EmailMessage]) -> None:
    client = Client()
    _attempts, response = _until_429(
        lambda n: client.post(reverse("accounts:magic_link"), {"email": f"quelquun{n}@example.org"})
    )
    _assert_french_429(response)


def test_proposal_creation_is_rate_limited(world: World, client_for: Callable[[User | None], Client]) -> None:
    client = client_for(world.user("other_resident"))
    url = reverse("proposals:create", kwargs={"process_slug": world.process.slug})
    attempts, response = _until_load(client, url)
    _assert_french_429(response)
    assert attempts > 1


def _until_load(client: Client, url: str) -> tuple[int, Any]:
    return _until_429(
        lambda n: client.post(
            url, {"title": f"Proposition numéro {n} pour le quartier", "body": "Un texte assez long pour passer."}
        )
    )


@pytest.mark.parametrize("persona", ["resident", "other_resident"])
def test_comment_posting_is_rate_limited(
    persona: str, world: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(world.user(persona))
    url = reverse("proposals:comment", kwargs={"pk": world.proposal.pk})
    attempts, response = _until_429(lambda n: client.post(url, {"body": f"Commentaire {n}", "stance": "neutral"}))
    _assert_french_429(response)
    assert attempts > 1
