"""The Sortition Foundation's legacy greedy algorithm, for comparison."""

from __future__ import annotations

from apps.sortition.engine.model import Distribution, Pool


def legacy(pool: Pool, panel_size: int, *, seed: str, runs: int = 10_000) -> Distribution:
    """Estimate the legacy algorithm's selection probabilities over ``runs`` seeded runs."""
    raise NotImplementedError
