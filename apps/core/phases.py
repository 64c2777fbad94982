"""What a module allows right now, from the dates of the process's phases."""

from __future__ import annotations

import datetime

from django.utils import timezone

from apps.core.models import Process


def allowed_actions(process: Process, module: str, now: datetime.datetime | None = None) -> frozenset[str]:
    now = now or timezone.now()
    allowed: frozenset[str] = frozenset()
    for phase in process.ordered_phases():
        if phase.module == module and phase.is_active(now):
            allowed |= phase.allows()
    return allowed


def can_view_process(user: object, process: Process) -> bool:
    from apps.core.roles import STAFF_ROLES, has_role

    return process.is_published or has_role(user, STAFF_ROLES, process=process)  # type: ignore[arg-type]


def hosts_module(process: Process, module: str) -> bool:
    """Whether one of the process's phases hosts ``module`` (uses the prefetched phases):
    a module's panel and tab show only on the processes it takes part in."""
    return any(phase.module == module for phase in process.phases.all())
