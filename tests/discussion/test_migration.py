"""The copy of both former comment models into discussion (discussion 0002), on existing data.

The test migrates back to before the copy (proposals 0006, budgets 0005, discussion 0001),
writes rows with the historical models — threads, stances, a hidden comment and its public
reason, reports (one resolved), budget project comments (one hidden, its hiding in the audit
log) — migrates forward and checks every row, thread, report, reason and audit entry; then
goes back and forward again (the reverse copies the rows back)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps.registry import Apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.accounts.models import User
from apps.budgets.models import Project
from apps.core.models import AuditLogEntry
from apps.proposals.models import Proposal
from tests.budgets.factories import ProjectFactory, make_budget, make_budget_process
from tests.factories import ProposalFactory, TerritoryFactory, UserFactory
from tests.migrations_kit import migrate as _migrate

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE = [
    ("proposals", "0006_upload_random_names"),
    ("budgets", "0005_ballot_secrecy_constraints"),
    ("discussion", "0001_initial"),
]


def _old_rows(old: Apps, proposal: Proposal, project: Project, people: list[User]) -> dict[str, Any]:
    Comment = old.get_model("proposals", "Comment")
    CommentReport = old.get_model("proposals", "CommentReport")
    ProjectComment = old.get_model("budgets", "ProjectComment")
    long_ago = timezone.now() - datetime.timedelta(days=40)
    first = Comment.objects.create(proposal_id=proposal.pk, author_id=people[0].pk, body="Oui !", stance="agree")
    reply = Comment.objects.create(
        proposal_id=proposal.pk, author_id=people[1].pk, parent=first, root=first, body="Non.", stance="disagree"
    )
    deeper = Comment.objects.create(
        proposal_id=proposal.pk, author_id=None, parent=reply, root=first, body="Peut-être", stance="neutral"
    )
    hidden = Comment.objects.create(
        proposal_id=proposal.pk,
        author_id=people[2].pk,
        body="Injure",
        stance="disagree",
        is_hidden=True,
        hidden_reason="Propos insultants",
        hidden_by_id=people[3].pk,
    )
    Comment.objects.filter(pk=first.pk).update(created_at=long_ago)
    CommentReport.objects.create(comment=first, reporter_id=people[1].pk, reason="Hors sujet")
    CommentReport.objects.create(
        comment=hidden, reporter_id=people[0].pk, reason="Insultant", resolved_at=timezone.now()
    )
    on_project = ProjectComment.objects.create(project_id=project.pk, author_id=people[0].pk, body="Bravo")
    hidden_on_project = ProjectComment.objects.create(
        project_id=project.pk, author_id=people[1].pk, body="Pub", is_hidden=True
    )
    for action, target_type, pk in (
        ("comment.hide", "proposals.comment", hidden.pk),
        ("budget_comment.hide", "budgets.projectcomment", hidden_on_project.pk),
    ):
        AuditLogEntry.objects.create(
            actor_id=people[3].pk,
            actor_label="Modératrice",
            action=action,
            target_type=target_type,
            target_id=str(pk),
            target_label="x",
            details={},
        )
    return {
        "proposal_comments": [first.pk, reply.pk, deeper.pk, hidden.pk],
        "project_comments": [on_project.pk, hidden_on_project.pk],
        "first_created": long_ago,
    }


def test_both_comment_models_are_copied_into_discussion() -> None:
    city = TerritoryFactory.create(name="Ville", slug="ville-d", kind="city", parent=None)
    quartier = TerritoryFactory.create(name="Quartier", slug="quartier-d", parent=city)
    proposal = ProposalFactory.create(process__territory=quartier, process__slug="propositions-d")
    budget = make_budget(make_budget_process("submission", territory=quartier))
    project = ProjectFactory.create(budget=budget, envelope=budget.envelopes.get(territory=quartier))
    people = [UserFactory.create() for _ in range(4)]
    try:
        old = _migrate(BEFORE)
        made = _old_rows(old, proposal, project, people)
        new = _migrate()

        Comment = new.get_model("discussion", "Comment")
        Report = new.get_model("discussion", "Report")
        proposal_type = ContentType.objects.get_for_model(type(proposal)).pk
        project_type = ContentType.objects.get_for_model(type(project)).pk
        first, reply, deeper, hidden = made["proposal_comments"]
        rows = {c.pk: c for c in Comment.objects.all()}
        # Proposal comments keep their keys, thread, stance, hiding and dates.
        assert {pk for pk in rows if rows[pk].target_type_id == proposal_type} == {first, reply, deeper, hidden}
        assert all(rows[pk].target_id == proposal.pk for pk in (first, reply, deeper, hidden))
        assert all(rows[pk].process_id == proposal.process_id for pk in (first, reply, deeper, hidden))
        assert (rows[reply].parent_id, rows[reply].root_id) == (first, first)
        assert (rows[deeper].parent_id, rows[deeper].root_id, rows[deeper].author_id) == (reply, first, None)
        assert [rows[pk].stance for pk in (first, reply, deeper, hidden)] == [
            "agree",
            "disagree",
            "neutral",
            "disagree",
        ]
        assert rows[first].created_at == made["first_created"]
        assert (rows[hidden].is_hidden, rows[hidden].hidden_reason) == (True, "Propos insultants")
        assert rows[hidden].hidden_by_id == people[3].pk and rows[hidden].hidden_at is not None
        # Reports, open and resolved.
        reports = sorted(Report.objects.values_list("comment_id", "reporter_id", "reason", "resolved_at"))
        assert [(r[0], r[1], r[2], r[3] is not None) for r in reports] == [
            (first, people[1].pk, "Hors sujet", False),
            (hidden, people[0].pk, "Insultant", True),
        ]
        # Project comments: keys after the proposals' ones, no stance, hiding from the audit log.
        offset = hidden
        on_project, hidden_on_project = (pk + offset for pk in made["project_comments"])
        assert {pk for pk in rows if rows[pk].target_type_id == project_type} == {on_project, hidden_on_project}
        assert rows[on_project].body == "Bravo" and rows[on_project].stance == ""
        assert rows[on_project].process_id == budget.process_id and rows[on_project].target_id == project.pk
        assert rows[hidden_on_project].is_hidden and rows[hidden_on_project].hidden_by_id == people[3].pk
        # The audit log follows the comments.
        assert set(AuditLogEntry.objects.values_list("target_type", "target_id")) == {
            ("discussion.comment", str(hidden)),
            ("discussion.comment", str(hidden_on_project)),
        }
        # New comments get new keys.
        later = Comment.objects.create(
            target_type_id=project_type, target_id=project.pk, process_id=budget.process_id, body="Après"
        )
        assert later.pk > hidden_on_project
        later.delete()

        # And back: the former models get their rows again; then forward once more.
        old = _migrate(BEFORE)
        assert sorted(old.get_model("proposals", "Comment").objects.values_list("pk", flat=True)) == sorted(
            made["proposal_comments"]
        )
        assert old.get_model("proposals", "CommentReport").objects.count() == 2
        assert old.get_model("budgets", "ProjectComment").objects.filter(is_hidden=True).count() == 1
    finally:
        new = _migrate()  # forward once more (and back to today's schema if an assertion failed)
    assert new.get_model("discussion", "Comment").objects.count() == 6
    assert new.get_model("discussion", "Report").objects.count() == 2
