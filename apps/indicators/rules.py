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
    from apps.indicators.models import Structure

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


def can_manage_catalogue(user: Person) -> bool:
    """The catalogue of indicators is the city's: a city-wide administrator."""
    return can_manage_reference(user)


def can_edit_structure(user: Person, structure: Structure) -> bool:
    """A structure's dashboard and its choice of indicators: its own agents (an agent or élu
    listed on the structure), and the city-wide administrators. An agent of another structure
    can neither see nor change it."""
    if not user.is_authenticated:
        return False
    if can_manage_catalogue(user):
        return True
    return has_role(user, READERS) and structure.agents.filter(pk=user.pk).exists()
