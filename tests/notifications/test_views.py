"""Inbox, mark as read, follow / unfollow and the follow button tag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.core.models import Process, Territory
from apps.notifications.models import Follow, Notification
from apps.proposals.models import Proposal
from tests.conftest import Personas
from tests.factories import ProcessFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def _notify(user: User, n: int, **extra: Any) -> Notification:
    return Notification.objects.create(user=user, kind="answer", title=f"Notification {n}", url="/", **extra)


def test_inbox_newest_first_unread_marked_in_text(client_for: Callable[[User | None], Client]) -> None:
    user = UserFactory.create()
    _notify(user, 1)
    from django.utils import timezone

    _notify(user, 2, read_at=timezone.now())
    _notify(UserFactory.create(), 99)
    html = client_for(user).get(reverse("notifications:inbox")).content.decode()
    assert html.index("Notification 2") < html.index("Notification 1")
    assert "Notification 99" not in html
    assert html.count("Non lue</span>") == 1
    assert "1 notification non lue." in html
    assert "notification-unread" in html


@pytest.mark.parametrize("count", [10, 60])
def test_inbox_is_paginated_with_bounded_queries(
    client_for: Callable[[User | None], Client], django_assert_max_num_queries: DjangoAssertNumQueries, count: int
) -> None:
    user = UserFactory.create()
    Notification.objects.bulk_create(
        [Notification(user=user, kind="answer", title=f"N{n}", url="/") for n in range(count)]
    )
    client = client_for(user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:inbox"))
    assert len(response.context["page"].object_list) == min(count, 20)
    if count > 20:
        assert 'aria-current="page"' in response.content.decode()
    last = client.get(reverse("notifications:inbox") + "?page=999")
    assert last.status_code == 200


def test_mark_one_and_all_read(client_for: Callable[[User | None], Client]) -> None:
    user = UserFactory.create()
    first, second = _notify(user, 1), _notify(user, 2)
    client = client_for(user)
    response = client.post(reverse("notifications:mark_read"), {"id": str(first.pk)})
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    client.post(reverse("notifications:mark_read"))
    second.refresh_from_db()
    assert second.read_at is not None


def test_cannot_mark_someone_elses_notification(client_for: Callable[[User | None], Client]) -> None:
    owner, intruder = UserFactory.create(), UserFactory.create()
    notification = _notify(owner, 1)
    client_for(intruder).post(reverse("notifications:mark_read"), {"id": str(notification.pk)})
    notification.refresh_from_db()
    assert notification.read_at is None
    assert client_for(intruder).post(reverse("notifications:mark_read"), {"id": "abc"}).status_code == 404


@pytest.mark.parametrize("kind", ["process", "territory", "proposal"])
def test_follow_and_unfollow_each_kind(
    client_for: Callable[[User | None], Client], quartier: Territory, kind: str
) -> None:
    user = UserFactory.create()
    proposal = ProposalFactory.create(process=ProcessFactory.create(territory=quartier))
    targets: dict[str, Process | Territory | Proposal] = {
        "process": proposal.process,
        "territory": quartier,
        "proposal": proposal,
    }
    target = targets[kind]
    client = client_for(user)
    response = client.post(reverse("notifications:follow"), {"kind": kind, "id": str(target.pk), "next": "/suivi/"})
    assert response.status_code == 302
    assert response["Location"] == "/suivi/"
    assert Follow.objects.filter(user=user, **{kind: target}).count() == 1
    client.post(reverse("notifications:follow"), {"kind": kind, "id": str(target.pk)})  # idempotent
    assert Follow.objects.filter(user=user, **{kind: target}).count() == 1
    response = client.post(reverse("notifications:unfollow"), {"kind": kind, "id": str(target.pk)})
    assert response["Location"] == target.get_absolute_url()
    assert not Follow.objects.filter(user=user).exists()


def test_follow_refuses_an_external_next(client_for: Callable[[User | None], Client], quartier: Territory) -> None:
    response = client_for(UserFactory.create()).post(
        reverse("notifications:follow"),
        {"kind": "territory", "id": str(quartier.pk), "next": "https://evil.example.com/"},
    )
    assert response["Location"] == quartier.get_absolute_url()


@pytest.mark.parametrize(
    ("kind", "raw_id"), [("user", "1"), ("comment", "1"), ("process", "1 OR 1=1"), ("territory", ""), ("", "1")]
)
def test_follow_kind_and_id_are_allowlisted(
    client_for: Callable[[User | None], Client], quartier: Territory, kind: str, raw_id: str
) -> None:
    response = client_for(UserFactory.create()).post(reverse("notifications:follow"), {"kind": kind, "id": raw_id})
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_cannot_follow_an_unpublished_process(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory
) -> None:
    draft = ProcessFactory.create(territory=quartier, is_published=False)
    response = client_for(personas["resident"]).post(
        reverse("notifications:follow"), {"kind": "process", "id": str(draft.pk)}
    )
    assert response.status_code == 403
    draft_proposal = ProposalFactory.create(process=draft)
    response = client_for(personas["resident"]).post(
        reverse("notifications:follow"), {"kind": "proposal", "id": str(draft_proposal.pk)}
    )
    assert response.status_code == 403
    # Staff of that quartier can see the draft, so they may follow it.
    response = client_for(personas["agent"]).post(
        reverse("notifications:follow"), {"kind": "process", "id": str(draft.pk)}
    )
    assert response.status_code == 302
    assert not Follow.objects.filter(user=personas["resident"]).exists()


def test_follow_htmx_returns_the_fragment(client_for: Callable[[User | None], Client], quartier: Territory) -> None:
    client = client_for(UserFactory.create())
    response = client.post(
        reverse("notifications:follow"), {"kind": "territory", "id": str(quartier.pk)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ne plus suivre ce quartier" in html
    assert "<html" not in html
    assert reverse("notifications:unfollow") in html
    response = client.post(
        reverse("notifications:unfollow"), {"kind": "territory", "id": str(quartier.pk)}, HTTP_HX_REQUEST="true"
    )
    assert "Suivre ce quartier" in response.content.decode()
    assert "Ne plus suivre" not in response.content.decode()


def _render_button(user: User | AnonymousUser, target: Model) -> str:
    request = RequestFactory().get("/quelque-part/?page=2")
    request.user = user
    template = Template("{% load follow %}{% follow_button target %}")
    return template.render(Context({"request": request, "target": target}))


def test_follow_button_tag(quartier: Territory, django_assert_max_num_queries: DjangoAssertNumQueries) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = UserFactory.create()
    proposal = ProposalFactory.create(process=ProcessFactory.create(territory=quartier))
    assert _render_button(AnonymousUser(), quartier).strip() == ""
    html = _render_button(user, proposal.process)
    assert "Suivre cette démarche" in html
    assert 'name="kind" value="process"' in html
    assert 'value="/quelque-part/?page=2"' in html
    assert "Suivre ce quartier" in _render_button(user, quartier)
    Follow.objects.create(user=user, target=proposal)
    with django_assert_max_num_queries(1):
        html = _render_button(user, proposal)
    assert "Ne plus suivre cette proposition" in html
    assert reverse("notifications:unfollow") in html
    with pytest.raises(TypeError):
        _render_button(user, user)
