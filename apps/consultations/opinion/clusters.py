"""Clustering as Polis does it: many small *base clusters* (k-means, k = 100) on the projected
participants, then the groups as a weighted k-means of the base clusters, the number of groups
(2 to 5) chosen by silhouette and changed only when another count has been best several
recomputations in a row (hysteresis: the map does not jump between 2 and 3 groups with every
vote)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial.distance import cdist

BASE_CLUSTERS = 100
MIN_GROUPS = 2
MAX_GROUPS = 5
# Polis' group-k buffer: a new count of groups wins after being the best this many times in a row.
GROUP_COUNT_PATIENCE = 4


def kmeans(
    points: NDArray[np.float64],
    k: int,
    *,
    weights: NDArray[np.float64] | None = None,
    init: NDArray[np.float64] | None = None,
    seed: int = 0,
    max_iterations: int = 100,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Weighted Lloyd's algorithm with k-means++ seeding (or ``init``). Returns the centres and
    each point's cluster; a cluster left empty is reseeded at the point farthest from its centre."""
    n = len(points)
    k = min(k, n)
    w = np.ones(n) if weights is None else weights.astype(np.float64)
    rng = np.random.default_rng(seed)
    centers = init.copy() if init is not None and init.shape == (k, points.shape[1]) else _plus_plus(points, k, w, rng)
    labels = np.zeros(n, dtype=np.int64)
    for iteration in range(max_iterations):
        distances = _squared_distances(points, centers)
        new_labels = np.argmin(distances, axis=1)
        if iteration and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        totals = np.bincount(labels, weights=w, minlength=k)
        for axis in range(points.shape[1]):
            sums = np.bincount(labels, weights=w * points[:, axis], minlength=k)
            centers[:, axis] = np.divide(sums, totals, out=centers[:, axis].copy(), where=totals > 0)
        for cluster in np.flatnonzero(totals <= 0):
            farthest = int(np.argmax(distances[np.arange(n), labels]))
            centers[cluster] = points[farthest]
            labels[farthest] = cluster
            distances[farthest] = 0.0
    return centers, labels


def inertia(
    points: NDArray[np.float64], centers: NDArray[np.float64], labels: NDArray[np.int64], weights: NDArray[np.float64]
) -> float:
    return float((((points - centers[labels]) ** 2).sum(axis=1) * weights).sum())


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

    @property
    def labels(self) -> NDArray[np.int64]:
        return self.base_groups[self.base_labels]


def group(
    points: NDArray[np.float64],
    *,
    previous_base_centers: NDArray[np.float64] | None = None,
    previous_count: GroupCount | None = None,
    restarts: int = 6,
) -> Grouping:
    """Base clusters, then groups of base clusters. Group labels are numbered by decreasing size."""
    distinct = len(np.unique(points, axis=0))
    base_k = max(1, min(BASE_CLUSTERS, distinct))
    init = previous_base_centers if previous_base_centers is not None and len(previous_base_centers) == base_k else None
    base_centers, base_labels = kmeans(points, base_k, init=init)
    weights = np.bincount(base_labels, minlength=base_k).astype(np.float64)
    used = weights > 0
    candidates = [k for k in range(MIN_GROUPS, MAX_GROUPS + 1) if k <= int(used.sum()) - (1 if k > MIN_GROUPS else 0)]
    if not candidates:
        return Grouping(base_centers, base_labels, np.zeros(base_k, dtype=np.int64), {}, GroupCount(1, 1, 0))
    centers_used, weights_used = base_centers[used], weights[used]
    clusterings: dict[int, NDArray[np.int64]] = {}
    silhouettes: dict[int, float] = {}
    for k in candidates:
        best: tuple[float, NDArray[np.int64]] | None = None
        for seed in range(restarts):
            centers, labels = kmeans(centers_used, k, weights=weights_used, seed=seed)
            score = inertia(centers_used, centers, labels, weights_used)
            if best is None or score < best[0] - 1e-12:
                best = (score, labels)
        assert best is not None
        clusterings[k] = best[1]
        silhouettes[k] = weighted_silhouette(centers_used, best[1], weights_used)
    best_k = max(candidates, key=lambda k: (silhouettes[k], -k))
    count = smooth_group_count(best_k, previous_count)
    shown = count.current if count.current in clusterings else best_k
    if shown != count.current:
        count = GroupCount(current=shown, candidate=shown, streak=0)
    labels_used = clusterings[shown]
    # Number groups by decreasing size (ties by position on the first axis): stable names.
    sizes = np.bincount(labels_used, weights=weights_used, minlength=shown)
    xs = np.array([centers_used[labels_used == g, 0].mean() if sizes[g] else 0.0 for g in range(shown)])
    order = sorted(range(shown), key=lambda g: (-sizes[g], xs[g]))
    rename = np.empty(shown, dtype=np.int64)
    rename[order] = np.arange(shown)
    base_groups = np.zeros(base_k, dtype=np.int64)
    base_groups[used] = rename[labels_used]
    return Grouping(base_centers, base_labels, base_groups, silhouettes, count)
