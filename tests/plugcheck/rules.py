"""Who sees what of the test module: one question per page, like any module."""

from __future__ import annotations

from typing import Any

from apps.core.models import Process, Role
from apps.core.roles import STAFF_ROLES, has_role

READERS = frozenset({Role.AGENT, Role.ELU})


def can_use_backoffice(user: Any) -> bool:
    return has_role(user, STAFF_ROLES)


def can_see_process_pledges(user: Any, process: Process) -> bool:
    return has_role(user, READERS, process=process)


def is_signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)
