"""Who may compute, review and read a synthesis."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.backoffice_kit import AGENTS
from apps.core.phases import can_view_process
from apps.core.roles import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.consultations.synthesis.models import Synthesis
    from apps.core.models import Process

    Person = User | AnonymousUser


def can_synthesise(user: Person, process: Process) -> bool:
    """Agents of the process (its quartier, or the process itself) compute, edit and publish."""
    return has_role(user, AGENTS, process=process)


def can_view_synthesis(user: Person, synthesis: Synthesis) -> bool:
    if synthesis.state == synthesis.State.PUBLISHED and can_view_process(user, synthesis.process):
        return True
    return can_synthesise(user, synthesis.process)
