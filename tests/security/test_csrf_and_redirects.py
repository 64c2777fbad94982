"""CSRF on every state change, and ``next=`` redirects restricted to this site."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from tests.conftest import Response
from tests.security.matrix_base import PERSONAS, Route
from tests.security.url_matrix import ROUTES
from tests.security.world import World, changes_data
from tests.shared_sessions import sign_in

# Past both the CSRF check and the permission check (400 = refused for its content only).
SUCCESS = {"ok", "redirect", "done", "allowed", "invalid"}


def _actor(route: Route) -> str:
    """The persona whose POST succeeds (so a 403 can only come from the missing token)."""
    assert route.post is not None
    return next((p for p in PERSONAS if route.post[p] in SUCCESS), "resident")


def _csrf_client(world: World, persona: str) -> Client:
    return sign_in(Client(enforce_csrf_checks=True), world.user(persona), world.sessions)


POST_ROUTES = [route for route in ROUTES if route.post is not None]
# The control needs a persona whose POST gets through (some routes refuse everyone here).
CONTROL_ROUTES = [route for route in POST_ROUTES if route.post and any(route.post[p] in SUCCESS for p in PERSONAS)]
EVERY_ROUTE = list({route.name: route for route in ROUTES}.values())


@pytest.mark.parametrize("route", POST_ROUTES, ids=[r.id for r in POST_ROUTES])
def test_post_without_csrf_token_is_refused(route: Route, world: World) -> None:
    persona = _actor(route)
    client = _csrf_client(world, persona)
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    response, changed = changes_data(lambda: client.post(url, route.data(world)), keep=False)
    assert response.status_code == 403, f"POST {url} as {persona} without CSRF token: {response.status_code}"
    assert not changed


@pytest.mark.parametrize("route", CONTROL_ROUTES, ids=[r.id for r in CONTROL_ROUTES])
def test_post_with_csrf_token_goes_through(route: Route, world: World) -> None:
    # The control of the test above: with the token the same request is not refused.
    persona = _actor(route)
    client = _csrf_client(world, persona)
    client.get(reverse("pages:home"))  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
    response = client.post(url, {**route.data(world), "csrfmiddlewaretoken": token})
    assert response.status_code != 403, f"POST {url} as {persona} with a CSRF token: 403"


@pytest.mark.parametrize("route", EVERY_ROUTE, ids=[r.name for r in EVERY_ROUTE])
def test_no_route_accepts_a_cross_site_post(route: Route, world: World) -> None:
    """Every route, even read-only ones: either the CSRF check refuses (403) or the
    route does not take POST at all (405, e.g. the read-only API). Never a change."""
    for persona in ("anonymous", "resident"):
        client = _csrf_client(world, persona)
        url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
        response, changed = changes_data(partial(client.post, url, route.data(world)))
        assert response.status_code in (403, 405), f"cross-site POST {url} as {persona}: {response.status_code}"
        assert not changed


EVIL = ["https://evil.example/", "//evil.example/", "https:evil.example", "/\\evil.example/", "\\\\evil.example"]


def _assert_stays_here(response: Response, what: str) -> None:
    assert response.status_code in (302, 303), f"{what}: {response.status_code}"
    location = response["Location"]
    parts = urlsplit(location.replace("\\", "/"))
    assert not parts.netloc or parts.netloc == "testserver", f"{what} redirected off-site: {location}"
    assert "evil.example" not in location, f"{what} redirected to {location}"


@pytest.mark.parametrize("evil", EVIL)
def test_login_ignores_foreign_next(evil: str, world: World) -> None:
    user = world.user("resident")
    assert user is not None
    client = Client()
    response = client.post(
        reverse("accounts:login") + f"?next={evil}",
        {"email": user.email, "password": "motdepasse-solide-42", "next": evil},
    )
    _assert_stays_here(response, f"login next={evil}")
    assert client.session.get("_auth_user_id") == str(user.pk), "the sign-in itself failed"


@pytest.mark.parametrize("evil", EVIL)
def test_signup_ignores_foreign_next(
    evil: str, world: World, mailoutbox: list[EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sign-up answers "check your mail"; ``next`` travels through the confirmation link.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())
    response = Client().post(
        reverse("accounts:signup") + f"?next={evil}",
        {
            "email": "nouvelle@example.org",
            "display_name": "Nouvelle Habitante",
            "password": "une-phrase-de-passe-solide",
            "home_territory": world.quartier.pk,
            "next": evil,
        },
    )
    if response.status_code != 200 or not mailoutbox:
        form = response.context.get("form") if response.context else None
        pytest.fail(f"signup refused the test data: {form.errors if form is not None else response.content[:300]!r}")
    link = re.search(r"/comptes/confirmer/\?\S+", str(mailoutbox[0].body))
    assert link is not None
    query = dict(parse_qsl(urlsplit(link.group(0)).query))
    assert "evil" not in query.get("next", "")
    confirm = Client().post(reverse("accounts:confirm_email"), {**query, "next": evil})
    _assert_stays_here(confirm, f"signup confirmation next={evil}")


@pytest.mark.parametrize("evil", EVIL)
def test_follow_ignores_foreign_next(evil: str, world: World, client_for: Callable[[User | None], Client]) -> None:
    response = client_for(world.user("other_resident")).post(
        reverse("notifications:follow"), {"kind": "process", "id": world.process.pk, "next": evil}
    )
    _assert_stays_here(response, f"follow next={evil}")


@pytest.mark.parametrize("evil", EVIL)
def test_support_ignores_foreign_next(evil: str, world: World, client_for: Callable[[User | None], Client]) -> None:
    response = client_for(world.user("other_resident")).post(
        reverse("proposals:support", kwargs={"pk": world.proposal.pk}) + f"?next={evil}", {"next": evil}
    )
    _assert_stays_here(response, f"support next={evil}")


def test_a_local_next_is_followed(world: World) -> None:
    # The control: a path on this site is honoured, so the tests above are not vacuous.
    user = world.user("resident")
    assert user is not None
    target = world.process.get_absolute_url()
    response = Client().post(
        reverse("accounts:login"),
        {"email": user.email, "password": "motdepasse-solide-42", "next": target},
    )
    assert response.status_code == 302 and response["Location"] == target
