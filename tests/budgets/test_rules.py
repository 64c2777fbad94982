"""Permission questions of the budgets' projects part: persona × phase."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.budgets.models import Budget, Project, ProjectInvitation, ProjectStatus
from apps.budgets.projects import rules
from apps.core.models import Territory
from apps.discussion import rules as discussion_rules
from tests.budgets.factories import ProjectFactory
from tests.conftest import Personas
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "resident", "other_resident", "agent", "elu", "moderator", "admin_elsewhere")
SIGNED_IN = set(PERSONAS) - {"anonymous"}


@pytest.mark.parametrize(
    ("phase", "submit", "comment"),
    [("submission", True, True), ("analysis", False, True), ("vote", False, False), ("results", False, False)],
)
def test_submit_and_comment_follow_the_phase(
    budget_in: Callable[..., Budget], personas: Personas, quartier: Territory, phase: str, submit: bool, comment: bool
) -> None:
    budget = budget_in(phase)
    project = ProjectFactory.create(budget=budget, author=personas["resident"])
    for persona in PERSONAS:
        user = personas[persona] or _anonymous()
        assert rules.can_submit_project(user, budget) is (submit and persona in SIGNED_IN), (phase, persona)
        assert rules.can_comment_project(user, project) is (comment and persona in SIGNED_IN), (phase, persona)
        assert rules.can_edit_project(user, project) is (submit and persona == "resident"), (phase, persona)


def test_edit_closes_once_the_services_decide(project: Project, personas: Personas) -> None:
    assert rules.can_edit_project(personas["resident"], project)
    project.status = ProjectStatus.UNDER_ANALYSIS
    assert not rules.can_edit_project(personas["resident"], project)


def test_invitation_rules(project: Project, personas: Personas) -> None:
    invitation = ProjectInvitation.objects.create(project=project, user=personas["other_resident"])
    assert rules.can_invite_coauthor(personas["resident"], project)
    assert not rules.can_invite_coauthor(personas["other_resident"], project)
    assert rules.can_answer_invitation(personas["other_resident"], invitation)
    assert not rules.can_answer_invitation(personas["resident"], invitation)


def test_staff_rules(budget: Budget, project: Project, personas: Personas) -> None:
    comment = CommentFactory.create(on=project, author=personas["other_resident"], body="x")
    expected = {
        "can_view_budget_config": {"agent", "elu"},
        "can_configure_budget": {"agent"},
    }
    for persona in PERSONAS:
        user = personas[persona] or _anonymous()
        process = budget.process
        assert rules.can_view_budget_config(user, process) is (persona in expected["can_view_budget_config"])
        assert rules.can_configure_budget(user, process) is (persona in expected["can_configure_budget"])
        assert rules.can_view_analysis(user, budget) is (persona in {"agent", "elu"})
        assert rules.can_analyse(user, budget) is (persona == "agent")
        assert discussion_rules.can_moderate(user, comment) is (persona == "moderator")
        assert rules.can_create_commitments(user, budget) is False  # results not published


def test_unpublished_budget_is_hidden_from_residents(budget_in: Callable[..., Budget], personas: Personas) -> None:
    budget = budget_in("submission")
    budget.process.is_published = False
    budget.process.save()
    assert not rules.can_view_budget(personas["resident"], budget)
    assert not rules.can_submit_project(personas["resident"], budget)
    assert rules.can_view_budget(personas["agent"], budget)


def _anonymous() -> AnonymousUser:
    return AnonymousUser()
