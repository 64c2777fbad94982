"""Representativeness against a reference population: shares with Wilson confidence
intervals (SciPy), the ratio of each group's share to its share of the population, and an
overall index (1 − the dissimilarity index: 1 when participants mirror the population)."""

from __future__ import annotations

from collections.abc import Mapping

from scipy.stats import binomtest

CONFIDENCE = 0.95


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """The 95 % Wilson interval of a proportion (good for small samples and shares near 0)."""
    if trials <= 0:
        return (0.0, 1.0)
    interval = binomtest(successes, trials).proportion_ci(confidence_level=CONFIDENCE, method="wilson")
    return (float(interval.low), float(interval.high))


def representativeness_index(shares: Mapping[str, float], reference: Mapping[str, float]) -> float:
    """1 − ½ Σ |share − reference share| over the reference's categories, between 0 and 1."""
    gap = sum(abs(shares.get(key, 0.0) - value) for key, value in reference.items())
    return max(0.0, 1.0 - gap / 2)
