"""Which statement to show next. Polis' priority: a statement few people have seen gets a boost
that halves every 5 votes, one that splits the groups (or sits far out on the map) weighs more,
and one people mostly pass on weighs less. The next statement is drawn at random among the
participant's unseen ones, weighted by priority, so that no statement is starved."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from apps.consultations.opinion.compute import OpinionMap


def priorities(opinion: OpinionMap) -> NDArray[np.float64]:
    """Per statement (columns of the map's matrix), > 0."""
    matrix = opinion.matrix
    n_statements = matrix.shape[1]
    seen = np.bincount(matrix.cols, minlength=n_statements).astype(np.float64)
    agree = np.bincount(matrix.cols[matrix.values == 1], minlength=n_statements)
    passes = np.bincount(matrix.cols[matrix.values == 0], minlength=n_statements)
    a = (agree + 1.0) / (seen + 2.0)
    p = (passes + 1.0) / (seen + 2.0)
    spread = np.nan_to_num(opinion.consensus.spread, nan=0.0)
    extremity = np.linalg.norm(opinion.components, axis=0) * np.sqrt(max(n_statements, 1))
    importance = (1.0 - p) * (1.0 + extremity + spread) * a
    novelty = 1.0 + 8.0 * 2.0 ** (-seen / 5.0)
    weights: NDArray[np.float64] = (importance * novelty) ** 2 + 1e-9
    return weights


def next_statement(weights: NDArray[np.float64], voted: NDArray[np.bool_], rng: np.random.Generator) -> int | None:
    """A column index the participant has not voted on, drawn by weight; None when none is left."""
    open_weights = np.where(voted, 0.0, weights)
    total = float(open_weights.sum())
    if total <= 0:
        return None
    return int(rng.choice(len(weights), p=open_weights / total))
