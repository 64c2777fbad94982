"""What every back-office page needs, whichever module it belongs to: scope checks, the
``staff_required`` guard, the save-or-show-errors helper, small response helpers and pagination.

It lives in core so that modules (budgets, councils, sortition, workshops…) build their
back-office pages without importing ``apps.backoffice`` (foundation) or each other. Shared form
widgets (dates typed as JJ/MM/AAAA) are in ``apps.core.forms``; refusing is
``apps.core.rules_kit.require``.

Every scope question is scoped: a role held on a territory covers its sub-territories and their
processes, a role held on a process covers that process only, and an administrator holds every
staff power within its own scope (``has_role`` adds it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from apps.core.models import Process, Role, RoleAssignment, Territory
from apps.core.params import parse_page
from apps.core.roles import STAFF_ROLES, has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser

AGENTS = frozenset({Role.AGENT})
READERS = frozenset({Role.AGENT, Role.ELU})
MODERATORS = frozenset({Role.MODERATOR})
ADMINS = frozenset({Role.ADMIN})


# --- scope ---------------------------------------------------------------------------------


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


def can_use_backoffice(user: Person) -> bool:
    return has_role(user, STAFF_ROLES)


# --- view guard and helpers ----------------------------------------------------------------

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


def actor(request: HttpRequest) -> User:
    """The signed-in staff member (views are wrapped by ``staff_required``)."""
    return cast("User", request.user)


def process_or_404(pk: int) -> Process:
    return get_object_or_404(Process.objects.select_related("territory"), pk=pk)


def attach_errors(form: BaseForm, error: ValidationError) -> None:
    """Service errors (dict-shaped when they name a field) shown on the form in French."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def saved(request: HttpRequest, form: BaseForm, save: Callable[[], object], *, success: str) -> bool:
    """True once a POSTed, valid form has been saved by ``save`` (a service call) and ``success``
    queued as a message; service errors are put on the form, which the view then renders again."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        attach_errors(form, error)
        return False
    messages.success(request, success)
    return True


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return TemplateResponse(request, template, context, status=status)


def redirect(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url)


# --- pagination ----------------------------------------------------------------------------


def paginate(request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int) -> dict[str, Any]:
    """Context for ``followup/_pagination.html`` (elided page range): any bad ``page`` value
    falls back to a valid page."""
    paginator = Paginator(items, per_page)
    page: Page[Any] = paginator.get_page(parse_page(request.GET.get("page")))
    return {
        "page_obj": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "ellipsis": Paginator.ELLIPSIS,
    }
