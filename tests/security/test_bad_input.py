"""The exact bad inputs reported in issue 8 (item 11): Unicode digits and NUL bytes answer with
a page or a clear refusal, never a 500, and a typed comment is not lost."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.discussion.models import Comment
from apps.notifications.models import Notification
from tests.security.world import World


def _no_server_error(client: Client, method: str, url: str, data: dict[str, str] | None = None) -> int:
    client.raise_request_exception = False
    response = client.post(url, data or {}) if method == "POST" else client.get(url, data or {})
    assert response.status_code < 500, f"{method} {url} {data} → {response.status_code}"
    return response.status_code


@pytest.mark.parametrize("page", ["²", "①", "١", "٣", "０", "\x00", "-1", "1.5", "9" * 100_000, "🙂"])
def test_unicode_digits_in_page_numbers_show_a_page(
    page: str, world: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(world.user("resident"))
    urls = [
        reverse("proposals:list", kwargs={"process_slug": world.process.slug}),
        reverse("proposals:detail", kwargs={"pk": world.proposal.pk}),
        reverse("pages:process_list"),
        reverse("notifications:inbox"),
        reverse("followup:index"),
    ]
    for url in urls:
        status = _no_server_error(client, "GET", url, {"page": page})
        # NUL is refused as a whole (400); any other junk falls back to the first page.
        assert status == (400 if page == "\x00" else 200), url


@pytest.mark.parametrize("parent", ["①", "②", "²", "١"])
def test_comment_with_a_unicode_digit_parent_keeps_the_typed_text(
    parent: str, world: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(world.user("resident"))
    url = reverse("proposals:comment", kwargs={"pk": world.proposal.pk})
    before = Comment.objects.count()
    response = client.post(url, {"body": "Un texte que je ne veux pas retaper", "stance": "", "parent": parent})
    assert response.status_code == 400
    assert Comment.objects.count() == before
    html = response.content.decode()
    assert "Un texte que je ne veux pas retaper" in html
    assert "Le commentaire auquel vous répondez n&#x27;existe plus." in html


@pytest.mark.parametrize("raw_id", ["²", "①", "١", "\x00"])
def test_notification_ids_in_unicode_digits_are_refused_cleanly(
    raw_id: str, world: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(world.user("resident"))
    status = _no_server_error(client, "POST", reverse("notifications:mark_read"), {"id": raw_id})
    assert status in (400, 404)
    assert Notification.objects.get(pk=world.notification.pk).read_at is None
    status = _no_server_error(client, "POST", reverse("notifications:follow"), {"kind": "proposal", "id": raw_id})
    assert status in (400, 404)


def test_nul_bytes_in_the_api_and_media_are_refused(world: World, client: Client) -> None:
    assert _no_server_error(client, "GET", "/api/v1/proposals/?process=%00") == 400
    assert _no_server_error(client, "GET", "/api/v1/commitments/?process=%00") == 400
    assert _no_server_error(client, "GET", "/media/%00") in (400, 404)
    assert _no_server_error(client, "GET", "/media/proposals/%00.png") in (400, 404)


def test_a_nul_byte_anywhere_gives_the_french_400_page(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(world.user("resident"))
    client.raise_request_exception = False
    for response in (
        client.get("/", {"q": "a\x00b"}),
        client.get(reverse("proposals:list", kwargs={"process_slug": world.process.slug}), {"q": "\x00"}),
        client.post(reverse("proposals:comment", kwargs={"pk": world.proposal.pk}), {"body": "x\x00y"}),
        client.get("/propositions%00/"),
    ):
        assert response.status_code == 400
        assert response["Content-Language"] == "fr"
