"""Clustering as Polis does it: many small *base clusters* (k-means, k = 100) on the projected
participants, then the groups as a weighted k-means of the base clusters, the number of groups
(2 to 5) chosen by silhouette and changed only when another count has been best several
recomputations in a row (hysteresis: the map does not jump between 2 and 3 groups with every
vote)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.spatial.distance import cdist

BASE_CLUSTERS = 100
MIN_GROUPS = 2
MAX_GROUPS = 5
# Polis' caps on k-means steps (polismath ``conversation.clj``: ``:base-iters`` 100; the groups'
# k-means is passed ``:cluster-iters``, which ``clusters/kmeans`` does not read, so its default
# ``:max-iters`` of 20 holds; its loop counts down to 0 inclusive: one step more than the cap).
BASE_ITERATIONS = 100 + 1
GROUP_ITERATIONS = 20 + 1
# Polis' group-k buffer: a new count of groups wins after being the best this many times in a row.
GROUP_COUNT_PATIENCE = 4


def kmeans(
    points: NDArray[np.float64],
    k: int,
    *,
    weights: NDArray[np.float64] | None = None,
    init: NDArray[np.float64] | None = None,
    max_iterations: int = 100,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Weighted Lloyd's algorithm as Polis runs it (polismath ``clusters/kmeans``): deterministic,
    started from ``init`` (the previous computation's centres) or else from the first ``k``
    distinct points in order; a cluster left empty is dropped, so fewer than ``k`` may come back.
    Returns the centres and each point's cluster, as Polis does: the clusters of the last
    assignment step and their means (after ``max_iterations`` steps without convergence, a point
    may be nearer another centre than its own). (Polis' own groups follow from this start; a
    randomised start with the lowest inertia of several finds other groups on real conversations:
    see ``bench/bench_polis_fidelity.py``.)"""
    w = np.ones(len(points)) if weights is None else weights.astype(np.float64)
    if init is not None and len(init) and init.shape[1:] == points.shape[1:]:
        centers = init.astype(np.float64).copy()
        if len(centers) < k:  # more clusters asked for than before: new ones at unused points
            centers = np.vstack([centers, _first_distinct(points, k - len(centers), exclude=centers)])
    else:
        centers = _first_distinct(points, k)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(max(max_iterations, 1)):
        labels = np.argmin(_squared_distances(points, centers), axis=1)
        totals = np.bincount(labels, weights=w, minlength=len(centers))
        kept = totals > 0
        moved = np.empty((int(kept.sum()), points.shape[1]))
        for axis in range(points.shape[1]):
            sums = np.bincount(labels, weights=w * points[:, axis], minlength=len(centers))
            moved[:, axis] = sums[kept] / totals[kept]
        done = moved.shape == centers.shape and np.allclose(moved, centers, rtol=0.0, atol=1e-12)
        centers = moved
        if done:
            break
    # ``centers`` holds the means of the clusters the last step assigned (the empty ones dropped,
    # in order), so renumbering the labels densely matches them
    _, labels = np.unique(labels, return_inverse=True)
    return centers, labels.astype(np.int64).reshape(-1)


def inertia(
    points: NDArray[np.float64], centers: NDArray[np.float64], labels: NDArray[np.int64], weights: NDArray[np.float64]
) -> float:
    return float((((points - centers[labels]) ** 2).sum(axis=1) * weights).sum())


def _first_distinct(
    points: NDArray[np.float64], k: int, *, exclude: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """The first ``k`` distinct points in their order (Polis' ``init-clusters``), none of them
    one of ``exclude``."""
    _, first = np.unique(points, axis=0, return_index=True)
    candidates = points[np.sort(first)]
    if exclude is not None and len(exclude):
        taken = (np.abs(candidates[:, None, :] - exclude[None, :, :]).max(axis=2) == 0).any(axis=1)
        candidates = candidates[~taken]
    return np.asarray(candidates[:k], dtype=np.float64)


def _plus_plus(
    points: NDArray[np.float64], k: int, weights: NDArray[np.float64], rng: np.random.Generator
) -> NDArray[np.float64]:
    centers = [points[rng.choice(len(points), p=weights / weights.sum())]]
    nearest = _squared_distances(points, centers[0][None, :])[:, 0]
    for _ in range(1, k):
        spread = nearest * weights
        total = float(spread.sum())
        index = int(rng.choice(len(points), p=spread / total)) if total > 0 else int(rng.integers(len(points)))
        centers.append(points[index])
        nearest = np.minimum(nearest, _squared_distances(points, points[index][None, :])[:, 0])
    return np.asarray(centers, dtype=np.float64)


def _squared_distances(points: NDArray[np.float64], centers: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(cdist(points, centers, "sqeuclidean"), dtype=np.float64)


def weighted_silhouette(points: NDArray[np.float64], labels: NDArray[np.int64], weights: NDArray[np.float64]) -> float:
    """The silhouette of the participants, each standing at their base cluster's centre: a base
    cluster of weight w is w participants at distance 0 from each other."""
    distances = np.sqrt(_squared_distances(points, points))
    clusters = np.unique(labels)
    if len(clusters) < 2:
        return 0.0
    # mean distance from each point to the members of each cluster, weighted
    sums = np.stack([(distances[:, labels == c] * weights[labels == c]).sum(axis=1) for c in clusters], axis=1)
    sizes = np.array([weights[labels == c].sum() for c in clusters])
    own = np.searchsorted(clusters, labels)
    own_size = sizes[own]
    a = np.divide(sums[np.arange(len(points)), own], own_size - 1, out=np.zeros(len(points)), where=own_size > 1)
    others = sums / sizes[None, :]
    others[np.arange(len(points)), own] = np.inf
    b = others.min(axis=1)
    denominator = np.maximum(a, b)
    scores = np.divide(b - a, denominator, out=np.zeros(len(points)), where=(denominator > 0) & (own_size > 1))
    return float((scores * weights).sum() / weights.sum())


@dataclass(frozen=True)
class GroupCount:
    """The count of groups shown, and the challenger that must win ``patience`` times in a row."""

    current: int
    candidate: int
    streak: int


def smooth_group_count(best: int, previous: GroupCount | None, *, patience: int = GROUP_COUNT_PATIENCE) -> GroupCount:
    if previous is None or best == previous.current:
        return GroupCount(current=best, candidate=best, streak=0)
    streak = previous.streak + 1 if best == previous.candidate else 1
    if streak >= patience:
        return GroupCount(current=best, candidate=best, streak=0)
    return GroupCount(current=previous.current, candidate=best, streak=streak)


@dataclass(frozen=True)
class Grouping:
    base_centers: NDArray[np.float64]
    base_labels: NDArray[np.int64]  # per clustered participant
    base_groups: NDArray[np.int64]  # per base cluster
    silhouettes: dict[int, float]
    count: GroupCount
    # the centres of the groups for each candidate count: the next computation starts from them
    group_centers: dict[int, NDArray[np.float64]] = field(default_factory=dict)

    @property
    def labels(self) -> NDArray[np.int64]:
        return self.base_groups[self.base_labels]


def _best_of_starts(
    points: NDArray[np.float64],
    k: int,
    weights: NDArray[np.float64],
    restarts: int,
    warm: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Polis' start (the previous computation's centres, ``warm``, or else the first distinct
    points), and ``restarts`` k-means++ starts: the lowest inertia wins.
    Polis warm-starts each recomputation from the last one's groups; one cold computation from its
    start alone can stop in a poor local optimum (three planted groups come out as five), so by
    default the other starts compete. Polis' own groups on real conversations are often not the
    lowest-inertia ones, hence ``restarts=0`` to reproduce them (bench/bench_polis_fidelity.py)."""
    rng = np.random.default_rng(0)
    starts: list[NDArray[np.float64] | None] = [warm] + [_plus_plus(points, k, weights, rng) for _ in range(restarts)]
    best: tuple[float, NDArray[np.float64], NDArray[np.int64]] | None = None
    for start in starts:
        centers, labels = kmeans(points, k, weights=weights, init=start, max_iterations=GROUP_ITERATIONS)
        score = inertia(points, centers, labels, weights)
        if best is None or score < best[0] - 1e-9 * max(abs(best[0]), 1.0):
            best = (score, centers, labels)
    assert best is not None
    return best[1], best[2]


def max_groups(n_base_clusters: int) -> int:
    """Polis' ``max-k``: up to 5 groups, fewer while there are few base clusters."""
    return min(MAX_GROUPS, MIN_GROUPS + n_base_clusters // 12)


def group(
    points: NDArray[np.float64],
    *,
    previous_base_centers: NDArray[np.float64] | None = None,
    previous_count: GroupCount | None = None,
    previous_group_centers: dict[int, NDArray[np.float64]] | None = None,
    restarts: int = 6,
    polis_start: bool = False,
) -> Grouping:
    """Base clusters, then groups of base clusters. Group labels are numbered by decreasing size.
    ``polis_start``: the groups' k-means starts only where Polis' does (see ``_best_of_starts``)."""
    distinct = len(np.unique(points, axis=0))
    base_k = max(1, min(BASE_CLUSTERS, distinct))
    init = previous_base_centers[:base_k] if previous_base_centers is not None else None
    base_centers, base_labels = kmeans(points, base_k, init=init, max_iterations=BASE_ITERATIONS)
    weights = np.bincount(base_labels, minlength=len(base_centers)).astype(np.float64)
    n_base = len(base_centers)
    candidates = [k for k in range(MIN_GROUPS, max_groups(n_base) + 1) if k <= n_base - (1 if k > MIN_GROUPS else 0)]
    if not candidates:
        return Grouping(base_centers, base_labels, np.zeros(n_base, dtype=np.int64), {}, GroupCount(1, 1, 0))
    clusterings: dict[int, NDArray[np.int64]] = {}
    silhouettes: dict[int, float] = {}
    centers: dict[int, NDArray[np.float64]] = {}
    for k in candidates:
        warm = (previous_group_centers or {}).get(k)
        centers[k], labels = _best_of_starts(base_centers, k, weights, 0 if polis_start else restarts, warm)
        if int(labels.max()) + 1 < MIN_GROUPS:
            continue
        clusterings[k] = labels
        silhouettes[k] = weighted_silhouette(base_centers, labels, weights)
    if not clusterings:
        return Grouping(base_centers, base_labels, np.zeros(n_base, dtype=np.int64), {}, GroupCount(1, 1, 0))
    best_k = max(clusterings, key=lambda k: (silhouettes[k], -k))
    count = smooth_group_count(best_k, previous_count)
    shown = count.current if count.current in clusterings else best_k
    if shown != count.current:
        count = GroupCount(current=shown, candidate=shown, streak=0)
    labels_used = clusterings[shown]
    found = int(labels_used.max()) + 1  # k-means may have dropped an emptied cluster
    # Number groups by decreasing size (ties by position on the first axis): stable names.
    sizes = np.bincount(labels_used, weights=weights, minlength=found)
    xs = np.array([base_centers[labels_used == g, 0].mean() if sizes[g] else 0.0 for g in range(found)])
    order = sorted(range(found), key=lambda g: (-sizes[g], xs[g]))
    rename = np.empty(found, dtype=np.int64)
    rename[order] = np.arange(found)
    return Grouping(base_centers, base_labels, rename[labels_used], silhouettes, count, centers)
