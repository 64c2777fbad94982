"""Budget project comments gained what proposal comments had (issue 9): reports, hiding with a
public reason, replies, and a place in the one moderation queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.budgets.models import Project
from apps.discussion.models import Comment, Report
from tests.conftest import Personas
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_a_resident_reports_a_project_comment_and_it_reaches_the_queue(
    client_for: Callable[[User | None], Client], personas: Personas, project: Project
) -> None:
    comment = CommentFactory.create(on=project, author=personas["other_resident"], body="Un avis discutable")
    resident = client_for(personas["resident"])
    page = resident.get(project.get_absolute_url()).content.decode()
    report_url = reverse("budgets:comment_report", kwargs={"pk": comment.pk})
    assert report_url in page
    assert f"Sur « {project.title} »\u00a0:" in resident.get(report_url).content.decode()
    response = resident.post(report_url, {"reason": "Propos hors sujet"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{project.get_absolute_url()}#commentaire-{comment.pk}")
    assert Report.objects.get().reason == "Propos hors sujet"
    # The author cannot report their own comment.
    assert client_for(personas["other_resident"]).get(report_url).status_code == 403

    queue = client_for(personas["moderator"]).get(reverse("discussion:moderation")).content.decode()
    assert f"Sur « {project.title} »" in queue and "Un avis discutable" in queue
    assert project.budget.process.title in queue
    assert (
        "Un avis discutable"
        not in client_for(personas["admin_elsewhere"]).get(reverse("discussion:moderation")).content.decode()
    )


def test_the_queue_hides_a_project_comment_with_a_public_reason(
    client_for: Callable[[User | None], Client], personas: Personas, project: Project
) -> None:
    comment = CommentFactory.create(on=project, author=personas["other_resident"], body="Insulte")
    Report.objects.create(comment=comment, reporter=personas["resident"], reason="Injure")
    moderator = client_for(personas["moderator"])
    url = reverse("discussion:comment_hide", kwargs={"pk": comment.pk})
    assert moderator.post(url, {"reason": ""}).status_code == 400
    assert moderator.post(url, {"reason": "Propos insultants"}).status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and not Report.objects.filter(resolved_at__isnull=True).exists()
    page = client_for(None).get(project.get_absolute_url()).content.decode()
    assert "Commentaire masqué par la modération\u00a0: Propos insultants" in page
    assert "Insulte" not in page


def test_a_moderator_hides_from_the_project_page_with_a_reason(
    client_for: Callable[[User | None], Client], personas: Personas, project: Project
) -> None:
    comment = CommentFactory.create(on=project, author=personas["other_resident"], body="Publicité")
    moderator = client_for(personas["moderator"])
    hide_url = reverse("budgets:comment_hide", kwargs={"pk": comment.pk})
    assert hide_url in moderator.get(project.get_absolute_url()).content.decode()
    assert moderator.get(hide_url).status_code == 200
    assert moderator.post(hide_url, {"reason": ""}).status_code == 400
    assert moderator.post(hide_url, {"reason": "Publicité commerciale"}).status_code == 302
    assert Comment.objects.get().hidden_reason == "Publicité commerciale"
    assert client_for(personas["agent"]).post(hide_url, {"reason": "x"}).status_code == 403
    unhide_url = reverse("budgets:comment_unhide", kwargs={"pk": comment.pk})
    assert unhide_url in moderator.get(project.get_absolute_url()).content.decode()
    assert moderator.post(unhide_url).status_code == 302
    assert not Comment.objects.get().is_hidden


def test_residents_reply_on_a_project(
    client_for: Callable[[User | None], Client], personas: Personas, project: Project
) -> None:
    first = CommentFactory.create(on=project, author=personas["other_resident"], body="Où exactement ?")
    client = client_for(personas["resident"])
    assert 'name="parent"' in client.get(project.get_absolute_url()).content.decode()
    url = reverse("budgets:project_comment", kwargs={"pk": project.pk})
    assert client.post(url, {"body": "Près du parc.", "parent": first.pk}).status_code == 302
    reply = Comment.objects.get(parent=first)
    assert reply.root == first and reply.stance == ""
    page = client_for(None).get(project.get_absolute_url()).content.decode()
    assert page.index("Où exactement") < page.index("Près du parc.")
