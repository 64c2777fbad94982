"""Quota helpers: achieved counts, per-feature checks, grouping people into types."""

from __future__ import annotations

from collections.abc import Sequence

from apps.sortition.engine.model import Pool


def achieved_counts(pool: Pool, panel: Sequence[str]) -> dict[tuple[str, str], int]:
    """Number of panel members per (category, feature) of the quotas."""
    raise NotImplementedError
