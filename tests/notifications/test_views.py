"""Inbox, mark as read, follow / unfollow and the follow button tag."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from apps.notifications.models import Follow, Notification
from tests.factories import ProcessFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def _notify(user, n: int, **extra):  # type: ignore[no-untyped-def]
    return Notification.objects.create(user=user, kind="answer", title=f"Notification {n}", url="/", **extra)


def test_inbox_newest_first_unread_marked_in_text(client_for) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    _notify(user, 1)
    from django.utils import timezone

    _notify(user, 2, read_at=timezone.now())
    _notify(UserFactory(), 99)
    html = client_for(user).get(reverse("notifications:inbox")).content.decode()
    assert html.index("Notification 2") < html.index("Notification 1")
    assert "Notification 99" not in html
    assert html.count("Non lue</span>") == 1
    assert "1 notification non lue." in html
    assert "notification-unread" in html


@pytest.mark.parametrize("count", [10, 60])
def test_inbox_is_paginated_with_bounded_queries(client_for, django_assert_max_num_queries, count: int) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
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


def test_mark_one_and_all_read(client_for) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
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


def test_cannot_mark_someone_elses_notification(client_for) -> None:  # type: ignore[no-untyped-def]
    owner, intruder = UserFactory(), UserFactory()
    notification = _notify(owner, 1)
    client_for(intruder).post(reverse("notifications:mark_read"), {"id": str(notification.pk)})
    notification.refresh_from_db()
    assert notification.read_at is None
    assert client_for(intruder).post(reverse("notifications:mark_read"), {"id": "abc"}).status_code == 404


@pytest.mark.parametrize("kind", ["process", "territory", "proposal"])
def test_follow_and_unfollow_each_kind(client_for, quartier, kind: str) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    proposal = ProposalFactory(process=ProcessFactory(territory=quartier))
    target = {"process": proposal.process, "territory": quartier, "proposal": proposal}[kind]
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


def test_follow_refuses_an_external_next(client_for, quartier) -> None:  # type: ignore[no-untyped-def]
    response = client_for(UserFactory()).post(
        reverse("notifications:follow"),
        {"kind": "territory", "id": str(quartier.pk), "next": "https://evil.example.com/"},
    )
    assert response["Location"] == quartier.get_absolute_url()


@pytest.mark.parametrize(
    ("kind", "raw_id"), [("user", "1"), ("comment", "1"), ("process", "1 OR 1=1"), ("territory", ""), ("", "1")]
)
def test_follow_kind_and_id_are_allowlisted(client_for, quartier, kind: str, raw_id: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(UserFactory()).post(reverse("notifications:follow"), {"kind": kind, "id": raw_id})
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_cannot_follow_an_unpublished_process(client_for, personas, quartier) -> None:  # type: ignore[no-untyped-def]
    draft = ProcessFactory(territory=quartier, is_published=False)
    response = client_for(personas["resident"]).post(
        reverse("notifications:follow"), {"kind": "process", "id": str(draft.pk)}
    )
    assert response.status_code == 403
    draft_proposal = ProposalFactory(process=draft)
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


def test_follow_htmx_returns_the_fragment(client_for, quartier) -> None:  # type: ignore[no-untyped-def]
    client = client_for(UserFactory())
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


def _render_button(user, target) -> str:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/quelque-part/?page=2")
    request.user = user
    template = Template("{% load follow %}{% follow_button target %}")
    return template.render(Context({"request": request, "target": target}))


def test_follow_button_tag(quartier, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    user = UserFactory()
    proposal = ProposalFactory(process=ProcessFactory(territory=quartier))
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
