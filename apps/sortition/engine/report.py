"""Audit report of a draw and its verification."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from apps.sortition.engine.model import Distribution, Pool


def audit_report(
    pool: Pool,
    distribution: Distribution,
    panel: Sequence[str],
    seed: str,
    *,
    pseudonymise: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """JSON-serialisable audit report of the draw."""
    raise NotImplementedError


def verify_report(report: dict[str, Any], pool: Pool) -> list[str]:
    """Recompute the draw from ``pool`` and the report's seed; empty list = verified."""
    raise NotImplementedError
