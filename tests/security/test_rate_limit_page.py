"""Issue 8, item 9: refused submissions do not use up the proposal limit, and the 429 page
gives back what the person typed (never a password)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from html import unescape

import time_machine
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.proposals.models import Proposal
from tests.security.world import World

BODY = "Un abri couvert pour une vingtaine de vélos, avec <script>alert(1)</script> & des arceaux."


def _data(n: int) -> dict[str, str]:
    return {"title": f"Un abri vélo numéro {n} devant l'école", "body": BODY}


def test_errors_do_not_count_and_the_429_page_keeps_the_text(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    # Frozen at the start of the next ten-minute window: limits count in fixed windows, and
    # the burst must not straddle two (the phases of the world, open for days, still are).
    with time_machine.travel((int(time.time()) // 600 + 1) * 600 + 30, tick=False):
        _errors_do_not_count_and_the_429_page_keeps_the_text(world, client_for)


def _errors_do_not_count_and_the_429_page_keeps_the_text(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    client: Client = client_for(world.user("other_resident"))
    url = reverse("proposals:create", kwargs={"process_slug": world.process.slug})
    before = Proposal.objects.count()
    # Ten submissions sent back for a too-short title: none counts.
    assert {client.post(url, {"title": "x", "body": BODY}).status_code for _ in range(10)} == {400}
    statuses = [client.post(url, _data(n)).status_code for n in range(5)]
    assert statuses == [302] * 5
    assert Proposal.objects.count() == before + 5

    response = client.post(url, _data(6))
    assert response.status_code == 429
    assert Proposal.objects.count() == before + 5
    html = response.content.decode()
    assert "Trop de tentatives" in html and "réessayer dans" in html
    assert 0 < int(response["Retry-After"]) <= 600
    areas = dict(
        re.findall(
            r'<label for="(typed-\d+)">[^<]*</label>\s*<textarea id="\1"[^>]*readonly>(.*?)</textarea>', html, re.S
        )
    )
    values = [unescape(value) for value in areas.values()]
    assert _data(6)["title"] in values and BODY in values
    # Escaped: the text is shown, never run.
    assert "<script>alert(1)</script>" not in html
    assert "csrfmiddlewaretoken" not in "".join(values)


def test_the_429_page_never_echoes_a_password(world: World) -> None:
    client = Client()
    secret = "mon-mot-de-passe-tres-secret"
    for _ in range(40):
        response = client.post(reverse("accounts:login"), {"email": "quelquun@example.org", "password": secret})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    html = response.content.decode()
    assert secret not in html
    assert "quelquun@example.org" in html  # the e-mail typed is given back


def test_the_429_page_for_a_get_has_no_typed_text() -> None:
    from django.test import RequestFactory

    from apps.core.views import rate_limited

    response = rate_limited(RequestFactory().get("/"))
    assert response.status_code == 429
    assert "Ce que vous avez saisi" not in response.content.decode()
