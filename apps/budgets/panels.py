"""What the participatory budget adds to a process, declared in its manifest: its panel on the
public process page and its « Budget participatif » tab among the process's back-office pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from apps.budgets.models import Budget
from apps.core.phases import hosts_module

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.core.models import Process


def process_panel(request: HttpRequest, process: Process) -> Mapping[str, Any] | None:
    """Only on the processes with a budget: a budgets phase (the agents configure the budget
    from the tab before it exists) or a budget already configured."""
    budget = Budget.objects.filter(process=process).first()
    if budget is None and not hosts_module(process, "budgets"):
        return None
    return {"budget": budget}
