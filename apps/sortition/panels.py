"""What the sortition module adds to a process page, declared in its manifest: its draws (the
published ones, and the open calls for volunteers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from apps.core.phases import hosts_module
from apps.sortition import rules, selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.core.models import Process


def process_panel(request: HttpRequest, process: Process) -> Mapping[str, Any] | None:
    if not hosts_module(process, "sortition"):
        return None
    entries = [
        {"draw": draw, "volunteering_open": rules.volunteering_open(draw)}
        for draw in selectors.draws_for_process(process)
    ]
    return {"entries": entries}
