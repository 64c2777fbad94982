"""Background tasks of the budgets module (huey discovers ``<app>.tasks`` modules)."""

from __future__ import annotations

from apps.budgets.voting.tasks import close_ended_budget_votes  # noqa: F401
