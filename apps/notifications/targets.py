"""What can be followed, and who may follow it.

Processes and territories are core objects, followable everywhere; every other kind is a
``Followable`` declared by a module's manifest (``all_followables()``). The ``kind`` posted by
a form is looked up in that allowlist: nobody can make the follow endpoint query an
arbitrary model or field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps

from apps.core.models import Process, Territory
from apps.core.params import parse_id
from apps.core.phases import can_view_process
from apps.core.registry import Followable, all_followables

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

# Anything followable: a process, a territory, or an object of a declared Followable.
Target = Any
CORE_KINDS = ("process", "territory")


def followable_for(target: Target) -> Followable | None:
    """The declaration of a module object's kind, None for a process, a territory or an
    object nobody declared."""
    label = target._meta.label
    return next((f for f in all_followables().values() if f.model == label), None)


def kind_of(target: Target) -> str:
    if isinstance(target, Process):
        return "process"
    if isinstance(target, Territory):
        return "territory"
    followable = followable_for(target)
    if followable is None:
        raise TypeError(f"Cannot follow a {type(target).__name__}")
    return followable.kind


def process_of(target: Target) -> Process | None:
    if isinstance(target, Process):
        return target
    if isinstance(target, Territory):
        return None
    followable = followable_for(target)
    return followable.process_of(target) if followable is not None else None


def resolve_target(kind: str, raw_id: str) -> Target | None:
    """The object designated by an allowlisted ``kind`` and a numeric id, or None."""
    pk = parse_id(raw_id)
    if pk is None:
        return None
    if kind == "process":
        return Process.objects.select_related("territory").filter(pk=pk).first()
    if kind == "territory":
        return Territory.objects.filter(pk=pk).first()
    followable = all_followables().get(kind)
    if followable is None or kind in CORE_KINDS:
        return None
    return apps.get_model(followable.model)._default_manager.filter(pk=pk).first()


def can_follow(user: User | AnonymousUser, target: Target) -> bool:
    """Signed-in, active people may follow whatever they are allowed to see."""
    if not (user.is_authenticated and user.is_active):
        return False
    if isinstance(target, Process):
        return can_view_process(user, target)
    if isinstance(target, Territory):
        return True
    followable = followable_for(target)
    return followable is not None and followable.can_follow(user, target)
