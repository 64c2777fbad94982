"""One permission question per action of the budgets' projects part. Views and templates ask;
they never decide. Each question combines the person's role (scoped), what the current phase of
the process allows (from the manifest) and the module's own rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.budgets.models import Budget, Project, ProjectInvitation, ProjectStatus
from apps.core.models import Process, Role
from apps.core.phases import can_view_process
from apps.core.roles import has_role
from apps.core.rules_kit import is_resident, phase_allows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser

MODULE = "budgets"
AGENTS = frozenset({Role.AGENT})
READERS = frozenset({Role.AGENT, Role.ELU})
MODERATORS = frozenset({Role.MODERATOR})
# Projects an author may still change: before the services decide.
EDITABLE = frozenset({ProjectStatus.SUBMITTED})
# Projects still open to analysis decisions (merged, withdrawn and voted ones are settled).
ANALYSABLE = frozenset(
    {ProjectStatus.SUBMITTED, ProjectStatus.UNDER_ANALYSIS, ProjectStatus.FEASIBLE, ProjectStatus.NOT_FEASIBLE}
)


# --- public side -------------------------------------------------------------------------


def can_view_budget(user: Person, budget: Budget) -> bool:
    return can_view_process(user, budget.process)


def submissions_open(budget: Budget) -> bool:
    """Whether anyone with an account could submit now (to invite visitors to sign in)."""
    return budget.process.is_published and phase_allows(budget.process, MODULE, "submit_project")


def can_submit_project(user: Person, budget: Budget) -> bool:
    return is_resident(user) and submissions_open(budget)


def is_project_author(user: Person, project: Project) -> bool:
    if not is_resident(user):
        return False
    if project.author_id == user.pk:
        return True
    return any(coauthor.pk == user.pk for coauthor in project.coauthors.all())


def can_edit_project(user: Person, project: Project) -> bool:
    return project.status in EDITABLE and submissions_open(project.budget) and is_project_author(user, project)


def can_invite_coauthor(user: Person, project: Project) -> bool:
    """Only the first author invites (co-authors could otherwise add people on their behalf)."""
    return (
        is_resident(user)
        and project.author_id == user.pk
        and project.status in EDITABLE | {ProjectStatus.UNDER_ANALYSIS}
        and project.budget.process.is_published
    )


def can_answer_invitation(user: Person, invitation: ProjectInvitation) -> bool:
    return is_resident(user) and invitation.user_id == user.pk


def comments_open(project: Project) -> bool:
    return (
        project.budget.process.is_published
        and project.status != ProjectStatus.WITHDRAWN
        and phase_allows(project.budget.process, MODULE, "comment")
    )


def can_comment_project(user: Person, project: Project) -> bool:
    return is_resident(user) and comments_open(project)


def can_moderate_project(user: Person, project: Project) -> bool:
    return has_role(user, MODERATORS, process=project.budget.process)


# --- back office -------------------------------------------------------------------------


def can_view_budget_config(user: Person, process: Process) -> bool:
    """Agents configure; élus read the configuration."""
    return has_role(user, READERS, process=process)


def can_configure_budget(user: Person, process: Process) -> bool:
    return has_role(user, AGENTS, process=process)


def can_view_analysis(user: Person, budget: Budget) -> bool:
    return has_role(user, READERS, process=budget.process)


def can_analyse(user: Person, budget: Budget) -> bool:
    return has_role(user, AGENTS, process=budget.process)


def can_create_commitments(user: Person, budget: Budget) -> bool:
    return has_role(user, AGENTS, process=budget.process) and budget.results_published_at is not None
