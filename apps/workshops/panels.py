"""What the workshops module adds to a process page, declared in its manifest: the link to the
process's workshop, when the visitor may see it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from apps.core.phases import hosts_module
from apps.workshops import rules
from apps.workshops.models import Workshop

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.core.models import Process


def process_panel(request: HttpRequest, process: Process) -> Mapping[str, Any] | None:
    if not hosts_module(process, "workshops"):
        return None
    workshop = Workshop.objects.select_related("process", "opinion").filter(process=process).first()
    if workshop is not None and not rules.can_view_workshop(request.user, workshop):
        workshop = None
    return {"workshop": workshop}
