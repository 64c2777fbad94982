"""Building a canonical ``Distribution`` from compositions and weights (shared by the algorithms)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from apps.sortition.engine.model import Distribution
from apps.sortition.engine.quotas import TypeTable


def make_distribution(
    table: TypeTable,
    panel_size: int,
    columns: list[npt.NDArray[np.int64]],
    weights: npt.NDArray[np.float64],
    algorithm: Literal["leximin", "legacy"],
    seconds: float,
    *,
    generated: int = 0,
) -> Distribution:
    """Canonical distribution: positive weights only, compositions sorted, probabilities from them."""
    kept = sorted((tuple(int(v) for v in columns[j]), float(weights[j])) for j in np.flatnonzero(weights > 0))
    total = sum(w for _, w in kept)
    compositions = tuple(c for c, _ in kept)
    final = tuple(w / total for _, w in kept)
    type_probability = np.zeros(table.n_types)
    for composition, weight in zip(compositions, final, strict=True):
        type_probability += weight * np.asarray(composition, dtype=np.float64)
    type_probability = np.clip(type_probability / table.sizes, 0.0, 1.0)
    probabilities = {
        person: float(type_probability[t]) for t, members in enumerate(table.members) for person in members
    }
    return Distribution(
        algorithm=algorithm,
        panel_size=panel_size,
        compositions=compositions,
        weights=final,
        types=table.types,
        type_members=table.members,
        probabilities=probabilities,
        seconds=seconds,
        columns=generated,
    )
