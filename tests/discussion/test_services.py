"""The primitive itself: posting, threads, reports, hiding with a public reason, on any
registered object, with the module's own rule deciding who may comment."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from pytest_django import DjangoAssertNumQueries

from apps.budgets.models import Project
from apps.core.models import AuditLogEntry, Process
from apps.discussion import rules, selectors, services
from apps.discussion.models import Comment, Report
from apps.proposals.models import Proposal
from tests.conftest import Personas
from tests.factories import CommentFactory, ProcessFactory


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["proposal", "project"])
def test_post_reply_and_thread(request: pytest.FixtureRequest, personas: Personas, kind: str) -> None:
    target = request.getfixturevalue(kind)
    first = services.comment_post(author=personas["other_resident"], target=target, body=" Très bonne idée ")
    reply = services.comment_post(author=personas["resident"], target=target, body="Merci !", parent=first)
    deeper = services.comment_post(author=personas["agent"], target=target, body="D'accord", parent=reply)
    assert first.body == "Très bonne idée"
    assert (reply.root, deeper.root, deeper.parent) == (first, first, reply)
    assert first.process_id == (target.process_id if kind == "proposal" else target.budget.process_id)
    target.refresh_from_db()
    assert target.comment_count == 3 == selectors.comments_of(target).count()
    page = selectors.threads_of(target, 1, personas["resident"])
    [top] = page.threads
    assert top == first
    [answer] = top.children  # type: ignore[attr-defined]
    assert answer == reply and answer.children == [deeper]
    assert top.can_report and not answer.can_report  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_stance_only_where_the_module_asks_for_it(personas: Personas, proposal: Proposal, project: Project) -> None:
    on_proposal = services.comment_post(author=personas["resident"], target=proposal, body="Oui", stance="agree")
    on_project = services.comment_post(author=personas["resident"], target=project, body="Oui", stance="agree")
    assert (on_proposal.stance, on_project.stance) == ("agree", "")
    assert services.comment_post(author=personas["resident"], target=proposal, body="Bof").stance == "neutral"


@pytest.mark.django_db
def test_the_module_rule_decides_who_comments(personas: Personas, process_in_phase: Callable[..., Process]) -> None:
    from tests.factories import ProposalFactory

    closed = ProposalFactory.create(process=process_in_phase("analysis"))
    with pytest.raises(PermissionDenied):
        services.comment_post(author=personas["resident"], target=closed, body="Trop tard ?")
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_reply_stays_on_its_object(personas: Personas, proposal: Proposal, project: Project) -> None:
    elsewhere = CommentFactory.create(on=project)
    with pytest.raises(ValidationError):
        services.comment_post(author=personas["resident"], target=proposal, body="Réponse", parent=elsewhere)


@pytest.mark.django_db
def test_an_unregistered_object_cannot_be_commented(personas: Personas) -> None:
    with pytest.raises(ImproperlyConfigured):
        services.comment_post(author=personas["resident"], target=ProcessFactory.create(), body="?")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["proposal", "project"])
def test_report_hide_unhide_dismiss(request: pytest.FixtureRequest, personas: Personas, kind: str) -> None:
    target = request.getfixturevalue(kind)
    comment = CommentFactory.create(on=target, author=personas["other_resident"])
    with pytest.raises(PermissionDenied):
        services.comment_report(reporter=personas["other_resident"], comment=comment, reason="Moi-même")
    services.comment_report(reporter=personas["resident"], comment=comment, reason="Hors sujet")
    services.comment_report(reporter=personas["resident"], comment=comment, reason="Encore")  # one per person
    assert Report.objects.get().reason == "Hors sujet"
    assert list(selectors.moderation_queue(personas["moderator"])) == [comment]
    assert not selectors.moderation_queue(personas["admin_elsewhere"]).exists()
    assert not selectors.moderation_queue(personas["agent"]).exists()

    for user in (personas["agent"], personas["admin_elsewhere"]):
        with pytest.raises(PermissionDenied):
            services.comment_hide(moderator=user, comment=comment, reason="Injure")
    with pytest.raises(ValidationError):
        services.comment_hide(moderator=personas["moderator"], comment=comment, reason="  ")
    services.comment_hide(moderator=personas["moderator"], comment=comment, reason="Propos insultants")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Propos insultants" and comment.hidden_at
    assert comment.hidden_by == personas["moderator"]
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert not selectors.moderation_queue(personas["moderator"]).exists()
    assert not rules.can_report(personas["resident"], comment)

    services.comment_unhide(moderator=personas["moderator"], comment=comment)
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == "" and comment.hidden_by is None

    services.comment_report(reporter=personas["agent"], comment=comment, reason="Publicité")
    assert services.report_dismiss(moderator=personas["moderator"], comment=comment) == 1
    actions = list(AuditLogEntry.objects.filter(target_type="discussion.comment").values_list("action", flat=True))
    assert sorted(actions) == ["comment.hide", "comment.reports_dismissed", "comment.unhide"]


@pytest.mark.django_db
def test_threads_page_in_a_bounded_number_of_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries, personas: Personas, proposal: Proposal
) -> None:
    for index in range(30):
        root = CommentFactory.create(proposal=proposal, body=f"Avis {index}")
        CommentFactory.create(proposal=proposal, parent=root, body="Réponse")
    with django_assert_max_num_queries(4):
        page = selectors.threads_of(proposal, 2, personas["resident"])
        assert len(page.threads) == 10
        assert all(len(comment.children) == 1 for comment in page.threads)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_deleting_the_object_deletes_its_comments(proposal: Proposal, project: Project) -> None:
    CommentFactory.create(proposal=proposal)
    CommentFactory.create(on=project)
    proposal.delete()
    assert list(Comment.objects.values_list("target_type__model", flat=True)) == ["project"]
    project.delete()
    assert not Comment.objects.exists()
