"""Every URL of the proposals module for every persona (status codes), in and out of phase."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Process, Territory
from apps.discussion.models import Comment
from apps.proposals.models import Proposal
from tests.conftest import Personas
from tests.factories import ProcessFactory, ProposalFactory

PERSONAS = ("anonymous", "resident", "other_resident", "agent", "elu", "moderator", "admin_elsewhere")
SIGNED_IN = PERSONAS[1:]


def _status(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_open_to_everyone(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    proposal: Proposal,
    comment: Comment,
    persona: str,
) -> None:
    client = client_for(personas[persona])
    slug = proposal.process.slug
    for url in (
        reverse("proposals:list", args=[slug]),
        reverse("proposals:map", args=[slug]),
        reverse("proposals:similar", args=[slug]) + "?titre=bancs+ombre",
        reverse("proposals:detail", args=[proposal.pk]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_unpublished_process_hidden_except_to_its_staff(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory, persona: str
) -> None:
    process = ProcessFactory.create(territory=quartier, is_published=False)
    proposal = ProposalFactory.create(process=process, author=personas["resident"])
    client = client_for(personas[persona])
    expected = 200 if persona in {"agent", "elu", "moderator"} else 404
    assert client.get(reverse("proposals:list", args=[process.slug])).status_code == expected
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == expected
    assert client.get(reverse("proposals:map", args=[process.slug])).status_code == expected


def test_unknown_process_and_proposal_are_404(client: Client, db: None) -> None:
    assert client.get(reverse("proposals:list", args=["nope"])).status_code == 404
    assert client.get(reverse("proposals:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("phase,open_", [("collect", True), ("support", False), ("analysis", False)])
@pytest.mark.parametrize("persona", PERSONAS)
def test_create_page(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    process_in_phase: Callable[..., Process],
    persona: str,
    phase: str,
    open_: bool,
) -> None:
    process = process_in_phase(phase)
    response = client_for(personas[persona]).get(reverse("proposals:create", args=[process.slug]))
    if persona == "anonymous":
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == (200 if open_ else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_and_withdraw_only_by_author(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal, persona: str
) -> None:
    client = client_for(personas[persona])
    for name in ("proposals:edit", "proposals:withdraw"):
        response = client.get(reverse(name, args=[proposal.pk]))
        if persona == "anonymous":
            assert response.status_code == 302 and "next=" in response["Location"]
        else:
            assert response.status_code == (200 if persona == "resident" else 403), name


def test_edit_closed_after_collect_but_withdraw_still_possible(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    process_in_phase: Callable[..., Process],
    make_proposal: Callable[..., Proposal],
) -> None:
    proposal = make_proposal(process_in_phase("support"))
    client = client_for(personas["resident"])
    assert client.get(reverse("proposals:edit", args=[proposal.pk])).status_code == 403
    assert client.get(reverse("proposals:withdraw", args=[proposal.pk])).status_code == 200


@pytest.mark.parametrize("phase,open_", [("collect", True), ("support", True), ("analysis", False)])
@pytest.mark.parametrize("persona", PERSONAS)
def test_support_and_unsupport(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    process_in_phase: Callable[..., Process],
    make_proposal: Callable[..., Proposal],
    persona: str,
    phase: str,
    open_: bool,
) -> None:
    proposal = make_proposal(process_in_phase(phase))
    client = client_for(personas[persona])
    for name in ("proposals:support", "proposals:unsupport"):
        response = client.post(reverse(name, args=[proposal.pk]))
        if persona == "anonymous":
            assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
        else:
            assert response.status_code == (302 if open_ else 403), name


@pytest.mark.parametrize("name", ["proposals:support", "proposals:unsupport", "proposals:comment"])
def test_post_only_endpoints_refuse_get(
    client_for: Callable[[User | None], Client], personas: Personas, proposal: Proposal, name: str
) -> None:
    assert client_for(personas["resident"]).get(reverse(name, args=[proposal.pk])).status_code == 405


@pytest.mark.parametrize("phase,open_", [("collect", True), ("support", True), ("analysis", False)])
@pytest.mark.parametrize("persona", PERSONAS)
def test_comment_post(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    process_in_phase: Callable[..., Process],
    make_proposal: Callable[..., Proposal],
    persona: str,
    phase: str,
    open_: bool,
) -> None:
    proposal = make_proposal(process_in_phase(phase))
    response = client_for(personas[persona]).post(
        reverse("proposals:comment", args=[proposal.pk]), {"body": "Je suis pour.", "stance": "agree"}
    )
    if persona == "anonymous":
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
        assert not Comment.objects.exists()
    elif open_:
        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"].endswith(f"#commentaire-{comment.pk}")
    else:
        assert response.status_code == 403
        assert not Comment.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_report_comment(
    client_for: Callable[[User | None], Client], personas: Personas, comment: Comment, persona: str
) -> None:
    client = client_for(personas[persona])
    url = reverse("proposals:comment_report", args=[comment.pk])
    get = client.get(url)
    post = client.post(url, {"reason": "Propos injurieux"})
    if persona == "anonymous":
        assert get.status_code == 302 and post.status_code == 302
        assert reverse("accounts:login") in get["Location"]
        assert not comment.reports.exists()
    elif persona == "other_resident":  # the comment's own author
        assert get.status_code == 403 and post.status_code == 403
    else:
        assert get.status_code == 200 and post.status_code == 302
        assert comment.reports.filter(reporter=personas[persona]).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_hide_and_unhide_comment_moderators_only(
    client_for: Callable[[User | None], Client], personas: Personas, comment: Comment, persona: str
) -> None:
    client = client_for(personas[persona])
    hide = reverse("proposals:comment_hide", args=[comment.pk])
    unhide = reverse("proposals:comment_unhide", args=[comment.pk])
    get = client.get(hide)
    post = client.post(hide, {"reason": "Propos hors charte"})
    comment.refresh_from_db()
    if persona == "moderator":
        assert get.status_code == 200 and post.status_code == 302
        assert comment.is_hidden and comment.hidden_reason == "Propos hors charte"
        assert client.post(unhide).status_code == 302
        comment.refresh_from_db()
        assert not comment.is_hidden
    else:
        expected = 302 if persona == "anonymous" else 403
        assert get.status_code == expected and post.status_code == expected
        assert not comment.is_hidden
        assert client.post(unhide).status_code == expected


def test_unhide_refuses_get(client_for: Callable[[User | None], Client], personas: Personas, comment: Comment) -> None:
    assert (
        client_for(personas["moderator"]).get(reverse("proposals:comment_unhide", args=[comment.pk])).status_code == 405
    )
