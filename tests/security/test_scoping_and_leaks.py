"""What a page shows, not only whether it opens: scoped back-office lists, unpublished and
hidden content, internal notes, and personal data in public exports and the API."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditLogEntry
from tests.conftest import body_of
from tests.security.world import World


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return html.unescape(body_of(response).decode())


def test_admin_elsewhere_dashboard_lists_only_their_processes(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    page = _text(client_for(world.user("admin_elsewhere")), reverse("backoffice:dashboard"))
    assert world.other_process.title in page
    assert world.process.title not in page and world.draft_process.title not in page


def test_moderation_queue_is_scoped(world: World, client_for: Callable[[User | None], Client]) -> None:
    reported = world.comment.body
    assert reported in _text(client_for(world.user("moderator")), reverse("discussion:moderation"))
    assert reported not in _text(client_for(world.user("admin_elsewhere")), reverse("discussion:moderation"))


def test_audit_log_is_scoped(world: World, client_for: Callable[[User | None], Client]) -> None:
    agent = world.user("agent")
    assert agent is not None
    AuditLogEntry.objects.create(
        actor=agent,
        actor_label=agent.display_name,
        action="proposal.assign",
        target_type="proposals.proposal",
        target_id=str(world.other_proposal.pk),
        target_label=world.other_proposal.title,
    )
    page = _text(client_for(world.user("admin_elsewhere")), reverse("backoffice:audit_log"))
    assert world.other_proposal.title in page
    assert world.answered.title not in page


@pytest.mark.parametrize("persona", ["anonymous", "resident", "agent"])
def test_unpublished_process_is_listed_nowhere_public(
    persona: str, world: World, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(world.user(persona))
    for url in (
        reverse("pages:home"),
        reverse("pages:process_list"),
        reverse("pages:territory", kwargs={"slug": world.quartier.slug}),
        reverse("followup:index"),
        reverse("api:process-list"),
        reverse("api:proposal-list"),
        reverse("api:commitment-list"),
        reverse("opendata:export", kwargs={"name": "proposals", "fmt": "csv"}),
        reverse("opendata:export", kwargs={"name": "comments", "fmt": "json"}),
    ):
        page = _text(client, url)
        for secret in (world.draft_process.title, world.draft_proposal.title, world.draft_commitment.title):
            assert secret not in page, f"{secret!r} leaks on {url} for {persona}"


@pytest.mark.parametrize("persona", ["anonymous", "resident", "agent", "moderator"])
def test_hidden_comment_and_internal_note_stay_private(
    persona: str, world: World, client_for: Callable[[User | None], Client]
) -> None:
    page = _text(client_for(world.user(persona)), world.proposal.get_absolute_url())
    assert world.note.body not in page, "an internal note is shown on the public page"
    if persona in ("anonymous", "resident"):
        assert world.hidden_comment.body not in page
    assert world.hidden_comment.hidden_reason in page, "a hidden comment must stay visible as hidden, with its reason"


EXPORTS = [
    ("opendata:export", {"name": name, "fmt": fmt})
    for name in ("proposals", "answers", "comments")
    for fmt in ("csv", "json")
]


def test_no_personal_data_in_exports_and_api(world: World, client_for: Callable[[User | None], Client]) -> None:
    client = client_for(None)
    urls = [reverse(name, kwargs=kwargs) for name, kwargs in EXPORTS]
    urls += [
        reverse("opendata:process_export", kwargs={"slug": world.process.slug, "name": "comments", "fmt": fmt})
        for fmt in ("csv", "json")
    ]
    urls += [
        reverse("api:proposal-list"),
        reverse("api:proposal-detail", kwargs={"pk": world.proposal.pk}),
        reverse("api:commitment-list"),
        reverse("api:process-list"),
    ]
    emails = [user.email for user in world.people.values() if user is not None]
    for url in urls:
        data = _text(client, url)
        for email in emails:
            assert email not in data, f"{email} in {url}"
        assert world.note.body not in data, f"internal note in {url}"
        assert world.hidden_comment.body not in data, f"hidden comment in {url}"
    comments = _text(client, reverse("opendata:export", kwargs={"name": "comments", "fmt": "json"}))
    assert world.comment.body in comments, "the comments export is empty: the checks above prove nothing"
    assert "Bruno Voisin" not in comments, "comments must be pseudonymised"


def test_api_filters_are_allowlisted(world: World, client_for: Callable[[User | None], Client]) -> None:
    # CVE-2023-34090: filtering on arbitrary columns from the query string leaked users.
    # An unknown filter is ignored (same answer as without it) or refused, never applied:
    # applied, these probes would empty the list.
    client = client_for(None)
    base = reverse("api:proposal-list")
    everything = _text(client, base)
    assert world.proposal.title in everything
    for probe in ("?author__email=personne@example.org", "?author__password__startswith=zzz", "?body__contains=zzz"):
        response = client.get(base + probe)
        assert response.status_code == 400 or response.content.decode() == everything, probe
