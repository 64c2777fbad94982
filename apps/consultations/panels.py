"""What consultations add to a process page: a link to each conversation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from apps.consultations import selectors
from apps.core.phases import hosts_module

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.core.models import Process


def process_panel(request: HttpRequest, process: Process) -> Mapping[str, Any] | None:
    if not hosts_module(process, "consultations"):
        return None
    conversations = selectors.conversations_of(process)
    return {"conversations": conversations} if conversations else None
