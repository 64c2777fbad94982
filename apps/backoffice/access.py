"""Who may open which back-office page. Views and templates ask; they never decide.

Every question is scoped: a role held on a territory covers its sub-territories and
their processes, a role held on a process covers that process only, and an
administrator holds every staff power within its own scope (``has_role`` adds it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from apps.core.models import Process, Role, RoleAssignment, Territory
from apps.core.roles import STAFF_ROLES, has_role
from apps.followup.services import can_edit_commitments

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser

AGENTS = frozenset({Role.AGENT})
READERS = frozenset({Role.AGENT, Role.ELU})
MODERATORS = frozenset({Role.MODERATOR})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Scope:
    """Where a person holds some roles: everywhere, or on these territories and processes."""

    city_wide: bool
    territory_ids: frozenset[int]
    process_ids: frozenset[int]

    def process_filter(self, prefix: str = "") -> Q:
        if self.city_wide:
            return Q()
        return Q(**{f"{prefix}territory_id__in": self.territory_ids}) | Q(**{f"{prefix}pk__in": self.process_ids})

    def covers(self, process: Process) -> bool:
        """Same answer as ``has_role`` for this process, without a query per process."""
        return self.city_wide or process.territory_id in self.territory_ids or process.pk in self.process_ids

    @property
    def is_empty(self) -> bool:
        return not (self.city_wide or self.territory_ids or self.process_ids)


def scope_for(user: Person, roles: frozenset[str]) -> Scope:
    """The scope of ``roles`` (administrator included) in a bounded number of queries,
    whatever the number of processes (``scoped_processes`` walks every process)."""
    if not user.is_authenticated or not user.is_active:
        return Scope(False, frozenset(), frozenset())
    if user.is_superuser:
        return Scope(True, frozenset(), frozenset())
    wanted = set(roles) | {Role.ADMIN}
    assignments = RoleAssignment.objects.filter(user=user, role__in=wanted).only("territory_id", "process_id")
    territory_roots: set[int] = set()
    process_ids: set[int] = set()
    for assignment in assignments:
        if assignment.territory_id is None and assignment.process_id is None:
            return Scope(True, frozenset(), frozenset())
        if assignment.territory_id is not None:
            territory_roots.add(assignment.territory_id)
        if assignment.process_id is not None:
            process_ids.add(assignment.process_id)
    territory_ids = set(territory_roots)
    frontier = set(territory_roots)
    while frontier:
        frontier = set(Territory.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - territory_ids
        territory_ids |= frontier
    return Scope(False, frozenset(territory_ids), frozenset(process_ids))


def processes_in_scope(user: Person, roles: frozenset[str] = STAFF_ROLES) -> QuerySet[Process]:
    scope = scope_for(user, roles)
    if scope.is_empty:
        return Process.objects.none()
    return Process.objects.filter(scope.process_filter())


def territories_in_scope(user: Person, roles: frozenset[str] = AGENTS) -> QuerySet[Territory]:
    scope = scope_for(user, roles)
    if scope.city_wide:
        return Territory.objects.all()
    return Territory.objects.filter(pk__in=scope.territory_ids)


# --- one question per page -------------------------------------------------------------


def can_use_backoffice(user: Person) -> bool:
    return has_role(user, STAFF_ROLES)


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


# --- view guard ---------------------------------------------------------------------------

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Anonymous people are sent to the login page; signed-in non-staff get a 403.
    The precise, scoped question is asked again by each view on its object."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_use_backoffice(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
