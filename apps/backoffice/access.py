"""Who may open which back-office page. Views and templates ask; they never decide.

The generic parts (scopes, ``staff_required``, role sets) are in ``apps.core.backoffice_kit``;
this file keeps the questions specific to the back-office pages of this app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.backoffice_kit import ADMINS, AGENTS, MODERATORS, READERS, scope_for, territories_in_scope
from apps.core.models import Process, RoleAssignment, Territory
from apps.core.roles import STAFF_ROLES, has_role
from apps.followup.services import can_edit_commitments

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser


# --- one question per page -------------------------------------------------------------


def can_see_process(user: Person, process: Process) -> bool:
    return has_role(user, STAFF_ROLES, process=process)


def can_create_process(user: Person) -> bool:
    # Territory-scoped agents create processes on their territories only (the form limits it).
    return territories_in_scope(user, AGENTS).exists()


def can_edit_process(user: Person, process: Process) -> bool:
    """Élus answer and sign but do not configure processes; agents and administrators do."""
    return has_role(user, AGENTS, process=process)


def can_view_instruction(user: Person, process: Process) -> bool:
    """Agents and élus of the process read its instruction pages (the process navigation)."""
    return has_role(user, READERS, process=process)


def can_instruct(user: Person, process: Process) -> bool:
    return has_role(user, AGENTS, process=process)


def can_answer(user: Person, process: Process) -> bool:
    return has_role(user, READERS, process=process)


def can_manage_commitments(user: Person, process: Process) -> bool:
    return can_edit_commitments(user, process)


def can_moderate_somewhere(user: Person) -> bool:
    return has_role(user, MODERATORS)


def can_manage_answer_templates(user: Person) -> bool:
    # Templates are shared by the whole city: any agent (or administrator) maintains them.
    return has_role(user, AGENTS)


def can_view_audit_log(user: Person) -> bool:
    return has_role(user, ADMINS)


def can_manage_roles(user: Person) -> bool:
    """The role pages: any administrator, who then sees and changes their own scope only."""
    return has_role(user, ADMINS)


def can_grant_role_on(user: Person, *, territory: Territory | None = None, process: Process | None = None) -> bool:
    """Nobody grants (or revokes) a role wider than their own administrator scope: a city-wide
    role takes a city-wide administrator (or a superuser), a territory or a process takes an
    administrator of it or of an enclosing territory."""
    if territory is not None and process is not None:
        return False  # an assignment has at most one scope
    if territory is None and process is None:
        return scope_for(user, ADMINS).city_wide
    return has_role(user, ADMINS, territory=territory, process=process)


def can_revoke_role(user: Person, assignment: RoleAssignment) -> bool:
    return can_grant_role_on(user, territory=assignment.territory, process=assignment.process)
