"""The three building blocks every module's rules and services repeat: refuse, "is this a
signed-in resident", "does the current phase allow this action".

A module's ``rules.py`` answers one question per action by combining them with the role
(``apps.core.roles.has_role``) and its own state; its services call ``require`` on that answer
before writing, so a view that forgot to ask still cannot write.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from apps.core.phases import allowed_actions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.core.models import Process

    Person = User | AnonymousUser


def require(allowed: bool) -> None:
    """Refuse (403) unless ``allowed``: services call it with a rule's answer."""
    if not allowed:
        raise PermissionDenied


def is_resident(user: Person) -> bool:
    """A signed-in, active account: the minimum to take part anywhere."""
    return bool(user.is_authenticated and user.is_active)


def phase_allows(process: Process, module: str, action: str, now: datetime.datetime | None = None) -> bool:
    """Whether a phase of ``module`` active on ``process`` (now, or at ``now``) allows ``action``
    (the phase kinds of the module's manifest say what each allows)."""
    return action in allowed_actions(process, module, now)
