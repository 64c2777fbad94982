"""The one moderation queue (``/gestion/moderation/``): reported comments of every module in
the moderator's scope; hiding needs a public reason and closes the reports; dismissing closes
them; the page costs the same number of queries whatever the number of reported comments."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.budgets.models import Project
from apps.core.models import AuditLogEntry
from apps.discussion.models import Comment, Report
from apps.proposals.models import Proposal
from tests.conftest import Personas
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(proposal: Proposal, personas: Personas) -> Comment:
    comment = CommentFactory.create(proposal=proposal, author=personas["other_resident"])
    Report.objects.create(comment=comment, reporter=UserFactory.create(), reason="Propos insultants")
    return comment


def test_hide_requires_a_reason_then_resolves(
    reported: Comment, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas["moderator"])
    url = reverse("discussion:comment_hide", kwargs={"pk": reported.pk})
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Indiquez le motif du masquage" in refused.content.decode()
    assert client.post(url, {"reason": "Propos injurieux"}).status_code == 302
    comment = Comment.objects.get(pk=reported.pk)
    assert comment.is_hidden and comment.hidden_reason == "Propos injurieux"
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    queue = client.get(reverse("discussion:moderation"))
    assert list(queue.context["page_obj"].object_list) == []
    assert AuditLogEntry.objects.filter(action="comment.hide", target_type="discussion.comment").exists()


def test_dismiss(reported: Comment, personas: Personas, client_for: Callable[[User | None], Client]) -> None:
    client = client_for(personas["moderator"])
    client.post(reverse("discussion:report_dismiss", kwargs={"pk": reported.pk}))
    assert not Comment.objects.get(pk=reported.pk).is_hidden
    assert not Report.objects.filter(resolved_at__isnull=True).exists()


def test_outside_the_scope_nothing_is_shown_or_allowed(
    reported: Comment, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    admin_elsewhere = client_for(personas["admin_elsewhere"])
    assert list(admin_elsewhere.get(reverse("discussion:moderation")).context["page_obj"].object_list) == []
    url = reverse("discussion:comment_hide", kwargs={"pk": reported.pk})
    assert admin_elsewhere.post(url, {"reason": "Injure"}).status_code == 403
    assert client_for(personas["agent"]).get(reverse("discussion:moderation")).status_code == 403


def test_every_module_in_one_queue_with_a_bounded_number_of_queries(
    proposal: Proposal,
    project: Project,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(personas["moderator"])

    def report(n: int) -> None:
        for index in range(n):
            comment = CommentFactory.create(proposal=proposal) if index % 2 else CommentFactory.create(on=project)
            Report.objects.create(comment=comment, reporter=UserFactory.create(), reason="Hors sujet")

    report(4)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("discussion:moderation"))
    report(16)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("discussion:moderation"))
    comments = response.context["page_obj"].object_list
    assert len(comments) == 20
    assert {comment.target_title for comment in comments} == {proposal.title, project.title}
    page = response.content.decode()
    assert page.count(f"{project.title} »") == 10 and page.count("des bancs à l&#x27;ombre »") == 10, page
