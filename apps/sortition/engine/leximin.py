"""Leximin selection probabilities by column generation over types (HiGHS)."""

from __future__ import annotations

from apps.sortition.engine.model import Distribution, Pool


def leximin(pool: Pool, panel_size: int, *, time_limit: float | None = None) -> Distribution:
    """Distribution over quota-satisfying panels maximising the sorted probability vector."""
    raise NotImplementedError
