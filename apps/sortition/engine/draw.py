"""Verifiable seeded draw of the panel and of replacement members."""

from __future__ import annotations

from collections.abc import Sequence

from apps.sortition.engine.model import Distribution, Pool


def draw_panel(distribution: Distribution, seed: str) -> tuple[str, ...]:
    """Sorted ids of the panel drawn from ``distribution`` with the public ``seed``."""
    raise NotImplementedError


def draw_alternates(pool: Pool, panel: Sequence[str], declined: Sequence[str], seed: str) -> dict[str, str]:
    """Map each declined id to a replacement id, keeping all quotas satisfied."""
    raise NotImplementedError
