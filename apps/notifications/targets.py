"""What can be followed, and who may follow it.

The ``kind`` posted by a form is looked up in an allowlist: nobody can make the
follow endpoint query an arbitrary model or field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model

from apps.core.models import Process, Territory
from apps.core.params import parse_id
from apps.core.phases import can_view_process
from apps.proposals.models import Proposal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

Target = Process | Territory | Proposal

# kind (as posted) → (model, Follow field name)
KINDS: dict[str, tuple[type[Model], str]] = {
    "process": (Process, "process"),
    "territory": (Territory, "territory"),
    "proposal": (Proposal, "proposal"),
}


def kind_of(target: Target) -> str:
    if isinstance(target, Process):
        return "process"
    if isinstance(target, Territory):
        return "territory"
    if isinstance(target, Proposal):
        return "proposal"
    raise TypeError(f"Cannot follow a {type(target).__name__}")


def resolve_target(kind: str, raw_id: str) -> Target | None:
    """The object designated by an allowlisted ``kind`` and a numeric id, or None."""
    pk = parse_id(raw_id)
    if kind not in KINDS or pk is None:
        return None
    model = KINDS[kind][0]
    queryset = model._default_manager.all()
    if model is Proposal:
        queryset = queryset.select_related("process__territory")
    elif model is Process:
        queryset = queryset.select_related("territory")
    return queryset.filter(pk=pk).first()  # type: ignore[return-value]


def can_follow(user: User | AnonymousUser, target: Target) -> bool:
    """Signed-in, active people may follow whatever they are allowed to see."""
    if not (user.is_authenticated and user.is_active):
        return False
    if isinstance(target, Process):
        return can_view_process(user, target)
    if isinstance(target, Proposal):
        return can_view_process(user, target.process)
    return True
