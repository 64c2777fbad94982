"""No 5xx on any route, whatever the query string or the form says (issue 8, item 11).

Every URL name of the project (the permission matrix lists them all, and
``test_every_url_is_in_the_matrix`` proves it) is requested with random parameters drawn by
hypothesis from what broke Archipel before: Unicode digits, NUL bytes, huge strings, negative
numbers, floats, emoji and stray ``%`` sequences, as an anonymous visitor, a resident and an
agent. POST requests start from the route's valid form and spoil some of its fields. Path
arguments are also replaced by garbage (a key too large for the database, Unicode digits).

Each request runs in a savepoint rolled back afterwards, so the fixture world stays the same for
every example. The world is the module's shared one (:mod:`tests.shared_rows`); the routes are
grouped by module part so that xdist can spread the groups over its workers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import User
from tests.conftest import Response
from tests.security.matrix_base import Route
from tests.security.modules import modules_for_url_name
from tests.security.url_matrix import ROUTES
from tests.security.world import World

FUZZ_PERSONAS = ("anonymous", "resident", "agent")

# Parameter names the views read (integers and allowlisted filters): the fuzzer tries them first.
KNOWN_KEYS = (
    "page",
    "parent",
    "id",
    "kind",
    "process",
    "territory",
    "quartier",
    "theme",
    "status",
    "state",
    "etat",
    "year",
    "annee",
    "q",
    "tri",
    "graine",
    "enveloppe",
    "numero",
    "code",
    "sauf",
    "titre",
    "next",
    "step",
    "action",
    "format",
)

NASTY = (
    "²",
    "①",
    "②",
    "١",
    "٣",
    "０",
    "1²",
    "\x00",
    "a\x00b",
    "-1",
    "-999999999999999999999",
    "99999999999999999999",
    "0",
    "1.5",
    "1e308",
    "NaN",
    "🙂",
    "👩🏽‍🦱",
    "%",
    "%00",
    "%zz",
    "%E2%91%A0",
    "' OR 1=1 --",
    "<script>",
    "../../etc/passwd",
    "",
    " ",
    "x" * 100_000,
    "9" * 5_000,
)

values = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=40),
)


def _query(keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    return st.dictionaries(st.one_of(st.sampled_from(keys), st.text(min_size=1, max_size=12)), values, max_size=4)


def _one_route_per_name() -> list[Route]:
    chosen: dict[str, Route] = {}
    for route in ROUTES:
        if route.name not in chosen or (chosen[route.name].case and not route.case):
            chosen[route.name] = route
    return list(chosen.values())


GROUPS: dict[tuple[str, ...], list[Route]] = defaultdict(list)
for _route in _one_route_per_name():
    GROUPS[modules_for_url_name(_route.name)].append(_route)


def _request(client: Client, method: str, url: str, data: dict[str, Any]) -> Response:
    cache.clear()  # rate limits would otherwise answer 429 before the view runs
    with transaction.atomic():
        response = client.post(url, data) if method == "POST" else client.get(url, data)
        transaction.set_rollback(True)
    return response


def _clients(world: World, client_for: Any) -> dict[str, Client]:
    return {persona: client_for(world.user(persona)) for persona in FUZZ_PERSONAS}


def _garbage_urls(route: Route, world: World) -> list[str]:
    """The route with each path argument replaced by junk (Unicode digits, an out-of-range key)."""
    kwargs = route.kwargs(world)
    url = reverse(route.name, kwargs=kwargs)
    urls = []
    for value in kwargs.values():
        text = str(value)
        for junk in ("99999999999999999999", "0", quote("²"), quote("①"), quote("١٢"), "%F0%9F%99%82"):
            if text and text in url:
                urls.append(url.replace(text, junk, 1))
    return urls


def _fuzz(clients: dict[str, Client], url: str, valid: dict[str, Any], keys: tuple[str, ...]) -> None:
    @settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(persona=st.sampled_from(FUZZ_PERSONAS), method=st.sampled_from(("GET", "POST")), params=_query(keys))
    def fuzz(persona: str, method: str, params: dict[str, str]) -> None:
        data = {**valid, **params} if method == "POST" else params
        response = _request(clients[persona], method, url, data)
        assert response.status_code < 500, f"{method} {url} {params!r} as {persona}: {response.status_code}"

    fuzz()


@pytest.mark.parametrize("modules", list(GROUPS), ids=[",".join(m) or "foundation" for m in GROUPS])
def test_no_route_answers_5xx_to_garbage(
    modules: tuple[str, ...], world: World, client_for: Callable[[User | None], Client]
) -> None:
    clients = _clients(world, client_for)
    for route in GROUPS[modules]:
        url = reverse(route.name, kwargs=route.kwargs(world))
        valid = {key: value for key, value in route.data(world).items() if not hasattr(value, "read")}

        _fuzz(clients, url, valid, tuple(valid) + KNOWN_KEYS)
        for garbage in _garbage_urls(route, world):
            for persona in ("resident", "agent"):
                response = _request(clients[persona], "GET", garbage, {})
                assert response.status_code < 500, f"GET {garbage} as {persona}: {response.status_code}"


# The exact cases reported in issue 8: each gave a 500 (or lost a typed comment).
REPORTED: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("GET", "pages:process_list", {"page": "²"}),
    ("GET", "followup:index", {"page": "①"}),
    ("GET", "/api/v1/proposals/", {"process": "\x00"}),
    ("GET", "/media/\x00", {}),
)


@pytest.mark.parametrize(("method", "target", "params"), REPORTED)
def test_reported_cases_do_not_fail(method: str, target: str, params: dict[str, str], db: None, client: Client) -> None:
    url = target if target.startswith("/") else reverse(target)
    response = client.get(url, params)
    assert response.status_code in (200, 400, 404)


def test_reported_comment_and_notification_cases(world: World, client_for: Callable[[User | None], Client]) -> None:
    client = client_for(world.user("resident"))
    proposal_url = reverse("proposals:detail", kwargs={"pk": world.proposal.pk})
    assert client.get(proposal_url, {"page": "²"}).status_code == 200
    response = client.post(
        reverse("proposals:comment", kwargs={"pk": world.proposal.pk}), {"body": "Mon avis tapé", "parent": "②"}
    )
    assert response.status_code == 400 and "Mon avis tapé" in response.content.decode()
    assert client.post(reverse("notifications:mark_read"), {"id": "²"}).status_code == 404
