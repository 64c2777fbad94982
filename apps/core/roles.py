"""Who holds which role where.

Roles are scoped: city-wide (no territory, no process), to a territory (and so to every
sub-territory and every process held there), or to one process. An administrator
holds every staff power within its scope. Django superusers are city-wide administrators.
The assignments are read once per request and cached on the user object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core import sql
from apps.core.models import Process, Role, RoleAssignment, Territory

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

STAFF_ROLES = frozenset({Role.AGENT, Role.ELU, Role.MODERATOR, Role.ADMIN})


def _assignments(user: User) -> list[RoleAssignment]:
    cached: list[RoleAssignment] | None = getattr(user, "_role_assignments", None)
    if cached is None:
        # Every signed-in request asks: fixed SQL (no query compiled), and only the assignment
        # rows: the scope is compared by id, so no territory row (with its GeoJSON outline).
        cached = sql.instances(RoleAssignment, user=user.pk)
        user._role_assignments = cached  # type: ignore[attr-defined]
    return cached


def has_role(
    user: User | AnonymousUser | None,
    roles: str | frozenset[str] | set[str],
    *,
    process: Process | None = None,
    territory: Territory | None = None,
) -> bool:
    """True when ``user`` holds one of ``roles`` for the given process/territory.

    With neither ``process`` nor ``territory`` the question is "anywhere at all".
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    assignments = _assignments(user)
    if not assignments:  # most residents: no territory chain to walk
        return False
    wanted = {roles} if isinstance(roles, str) else set(roles)
    wanted.add(Role.ADMIN)
    territory = territory or (process.territory if process is not None else None)
    chain: set[int] | None = None  # walked only for an assignment scoped to a territory
    for assignment in assignments:
        if assignment.role not in wanted:
            continue
        if process is None and territory is None:
            return True
        if assignment.process_id is None and assignment.territory_id is None:
            return True
        if assignment.process_id is not None and process is not None and assignment.process_id == process.pk:
            return True
        if assignment.territory_id is not None and territory is not None:
            if chain is None:
                chain = set(territory.ancestor_ids())
            if assignment.territory_id in chain:
                return True
    return False


def is_staff_anywhere(user: User | AnonymousUser | None) -> bool:
    return has_role(user, STAFF_ROLES)


def scoped_processes(user: User | AnonymousUser, roles: frozenset[str] | set[str]) -> list[int]:
    """Ids of the processes on which ``user`` holds one of ``roles``."""
    if not user.is_authenticated:
        return []
    processes = Process.objects.select_related("territory").only("pk", "territory")
    return [process.pk for process in processes if has_role(user, roles, process=process)]
