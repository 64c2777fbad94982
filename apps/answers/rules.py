"""Who may sign an answer: the answer is the élue's.

An élu·e of the process's territory (or of the process) signs in their own name; an agent signs
only with a « délégation de signature » granted by an administrator, under its title.
Administrators and superusers hold no signature of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from apps.answers.models import Answer, SignatureDelegation
from apps.answers.registry import source_for
from apps.core.models import Process, Role, RoleAssignment
from apps.core.roles import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser

AGENTS = frozenset({Role.AGENT})


def _covers(scope: RoleAssignment | SignatureDelegation, process: Process) -> bool:
    if scope.process_id is None and scope.territory_id is None:
        return True
    if scope.process_id is not None:
        return scope.process_id == process.pk
    return scope.territory_id in process.territory.ancestor_ids()


def signature_for(user: Person, process: Process) -> str | None:
    """The public signature ``user`` gives an answer on ``process``, or None when they may not sign."""
    if not (user.is_authenticated and user.is_active) or user.pk is None:
        return None
    name = user.get_full_name().strip() or user.display_name
    for assignment in RoleAssignment.objects.filter(user_id=user.pk, role=Role.ELU).select_related(
        "territory", "process"
    ):
        if _covers(assignment, process):
            scope = assignment.process or assignment.territory or process.territory.root()
            return _("%(name)s, élu·e — %(scope)s") % {"name": name, "scope": scope}
    delegations = SignatureDelegation.objects.filter(user_id=user.pk, revoked_at__isnull=True)
    for delegation in delegations:
        if _covers(delegation, process) and has_role(user, AGENTS, process=process):
            return _("%(name)s, %(title)s") % {"name": name, "title": delegation.title}
    return None


def can_sign(user: Person, process: Process) -> bool:
    return signature_for(user, process) is not None


def can_draft(user: Person, source: Any) -> bool:
    return bool(source_for(source).can_draft(user, source))


def publication_refusal(source: Any) -> str:
    """Why no answer to ``source`` may be published now (an empty string when it may)."""
    return source_for(source).refusal(source)


def can_sign_now(user: Person, answer: Answer) -> bool:
    """A signer signs a submitted answer, or their own draft directly."""
    return (
        can_sign(user, answer.process)
        and not publication_refusal(answer.source)
        and (answer.state == Answer.State.SUBMITTED or answer.author_id == user.pk)
    )
