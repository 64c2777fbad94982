"""PCA by power iteration, as Polis does it: the two leading eigenvectors of AᵀA, found by
repeated multiplication, each orthogonalised against the ones before (deflation). With A sparse
an iteration costs two sparse products, O(votes), never O(participants × statements)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse


def power_iteration_pca(
    centered: sparse.csr_array,
    *,
    n_components: int = 2,
    start: NDArray[np.float64] | None = None,
    max_iterations: int = 500,
    tolerance: float = 1e-9,
    seed: int = 0,
) -> NDArray[np.float64]:
    """Rows are unit, mutually orthogonal components. ``start`` (the previous components) makes
    the recomputation after a batch of votes incremental: it usually converges in a few steps."""
    n_statements = centered.shape[1]
    rng = np.random.default_rng(seed)
    components: list[NDArray[np.float64]] = []
    for index in range(min(n_components, n_statements)):
        if start is not None and start.shape == (n_components, n_statements) and np.any(start[index]):
            vector = start[index].astype(np.float64).copy()
        else:
            vector = rng.standard_normal(n_statements)
        vector = _orthonormal(vector, components)
        for _ in range(max_iterations):
            image = _orthonormal(centered.T @ (centered @ vector), components)
            if not np.any(image):
                break
            done = float(np.linalg.norm(image - vector)) < tolerance
            vector = image
            if done:
                break
        # A fixed orientation, so that two runs draw the same map: the previous one's when
        # recomputing (the map does not flip after a batch of votes), otherwise the largest entry
        # positive.
        if start is not None and start.shape == (n_components, n_statements) and np.any(start[index]):
            reference = float(vector @ start[index])
        else:
            reference = float(vector[int(np.argmax(np.abs(vector)))]) if np.any(vector) else 1.0
        vector = vector if reference >= 0 else -vector
        components.append(vector)
    while len(components) < n_components:
        components.append(np.zeros(n_statements))
    return np.vstack(components) if components else np.zeros((n_components, n_statements))


def _orthonormal(vector: NDArray[np.float64], basis: list[NDArray[np.float64]]) -> NDArray[np.float64]:
    for other in basis:
        vector = vector - float(vector @ other) * other
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 1e-12 else np.zeros_like(vector)


def sparsity_aware_projection(
    centered: sparse.csr_array,
    components: NDArray[np.float64],
    votes_per_participant: NDArray[np.int64],
    *,
    withdrawn: int = 0,
) -> NDArray[np.float64]:
    """Each participant's position. Someone who voted on few statements has mostly imputed
    (zero) cells and would sit near the centre; Polis scales the projection by
    sqrt(statements / votes cast) to put them where their votes point.

    ``withdrawn`` statements (voted on, then moderated out) count as Polis counts them: their
    column stays in its matrix with every cell set to 0, so each of them is one more statement and
    one more cast vote for everyone: sqrt((statements + withdrawn) / (votes + withdrawn)). On
    conversations with many of them this pulls sparse voters back towards the centre, and it is
    what brings Polis' own groups back on its openData exports (bench/README.md, "Fidelity to
    Polis' own groups")."""
    n_statements = centered.shape[1] + withdrawn
    scale = np.sqrt(n_statements / np.maximum(votes_per_participant + withdrawn, 1))
    projected: NDArray[np.float64] = np.asarray(centered @ components.T, dtype=np.float64) * scale[:, None]
    return projected
