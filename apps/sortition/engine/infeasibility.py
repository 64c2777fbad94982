"""Explaining infeasible quotas in plain French, with suggested relaxations."""

from __future__ import annotations

from apps.sortition.engine.model import Pool


def check_quotas(pool: Pool, panel_size: int) -> None:
    """Raise ``InfeasibleQuotas`` when no panel of ``panel_size`` meets the quotas."""
    raise NotImplementedError
