"""One permission question per action of the indicators module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.backoffice_kit import scope_for
from apps.core.models import Role
from apps.core.roles import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.core.models import Process

    Person = User | AnonymousUser

READERS = frozenset({Role.AGENT, Role.ELU})
ADMINS = frozenset({Role.ADMIN})


def can_read_indicators(user: Person) -> bool:
    """The back office of the indicators: agents and élus (they see the processes of their scope)."""
    return has_role(user, READERS)


def can_read_process_indicators(user: Person, process: Process) -> bool:
    """The detailed figures and the alerts of one process: its agents and élus."""
    return has_role(user, READERS, process=process)


def can_manage_reference(user: Person) -> bool:
    """Reference populations and alert thresholds concern the whole city: a city-wide administrator."""
    return scope_for(user, ADMINS).city_wide
