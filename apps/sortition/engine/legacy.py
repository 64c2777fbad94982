"""The Sortition Foundation's legacy greedy algorithm, for comparison with leximin.

As described by Flanigan et al. (Nature 2021, Methods): while the panel is not full, compute for
every feature the ratio (people still needed to reach its minimum) / (people left in the pool
with it), take the feature with the highest ratio (first in the categories file on ties), pick
a uniformly random remaining person with that feature, and once a feature reaches its maximum
remove everybody left who has it. A dead end (a minimum can no longer be reached, or nobody is
left) restarts the run. Selection probabilities are estimated over many seeded runs.

Since the choice only depends on features, the run is simulated on types: "a random person with
feature f" is a type with f drawn with probability proportional to its remaining members.
"""

from __future__ import annotations

import hashlib
import math
import random
import time

import numpy as np

from apps.sortition.engine.infeasibility import check_quotas
from apps.sortition.engine.lottery import make_distribution
from apps.sortition.engine.model import Distribution, InfeasibleQuotas, Pool
from apps.sortition.engine.quotas import TypeTable, build_types

#: Restarts allowed for one run before giving up (quotas feasible but too tight for the greedy).
MAX_RESTARTS = 1_000


class _DeadEnd(Exception):
    pass


class _Greedy:
    """One legacy run on type counts; the lists below are computed once for all runs."""

    def __init__(self, table: TypeTable, panel_size: int) -> None:
        self.panel_size = panel_size
        self.n_types = table.n_types
        self.n_features = len(table.quotas)
        self.holders = [[int(t) for t in np.flatnonzero(table.incidence[f])] for f in range(self.n_features)]
        self.type_features = [[int(f) for f in np.flatnonzero(table.incidence[:, t])] for t in range(table.n_types)]
        self.sizes = [int(s) for s in table.sizes]
        self.available = [int(v) for v in table.incidence @ table.sizes]
        self.mins = [int(v) for v in table.mins]
        self.maxs = [int(v) for v in table.maxs]

    def run(self, rng: random.Random) -> tuple[int, ...]:
        holders, type_features, mins, maxs = self.holders, self.type_features, self.mins, self.maxs
        remaining = list(self.sizes)
        left = list(self.available)  # people left with each feature
        selected = [0] * self.n_features
        composition = [0] * self.n_types
        for _ in range(self.panel_size):
            best, best_ratio = -1, -math.inf
            for f in range(self.n_features):
                if left[f] == 0:
                    if selected[f] < mins[f]:
                        raise _DeadEnd
                    continue
                ratio = (mins[f] - selected[f]) / left[f]
                if ratio > best_ratio:
                    best, best_ratio = f, ratio
            if best < 0:
                raise _DeadEnd
            pick = rng.randrange(left[best])
            chosen = holders[best][-1]
            for t in holders[best]:
                if pick < remaining[t]:
                    chosen = t
                    break
                pick -= remaining[t]
            composition[chosen] += 1
            remaining[chosen] -= 1
            for f in type_features[chosen]:
                left[f] -= 1
            for f in type_features[chosen]:
                selected[f] += 1
                if selected[f] == maxs[f]:
                    # The feature is full: everybody left who has it leaves the pool.
                    for other in holders[f]:
                        count = remaining[other]
                        if count:
                            remaining[other] = 0
                            for g in type_features[other]:
                                left[g] -= count
        if any(not mins[f] <= selected[f] <= maxs[f] for f in range(self.n_features)):
            raise _DeadEnd
        return tuple(composition)


def legacy(pool: Pool, panel_size: int, *, seed: str, runs: int = 10_000) -> Distribution:
    """Estimate the legacy algorithm's selection probabilities over ``runs`` seeded runs.

    The returned distribution is the empirical one: each distinct composition met, weighted by
    its frequency (so ``draw_panel`` works on it too). Deterministic for a given seed.
    """
    start = time.perf_counter()
    check_quotas(pool, panel_size)
    table = build_types(pool)
    greedy = _Greedy(table, panel_size)
    # A simulation, not the public draw: Python's Mersenne Twister, seeded from the seed string.
    rng = random.Random(int.from_bytes(hashlib.sha256(f"legacy\n{seed}".encode()).digest(), "big"))  # noqa: S311
    counts: dict[tuple[int, ...], int] = {}
    for _ in range(runs):
        for _attempt in range(MAX_RESTARTS):
            try:
                composition = greedy.run(rng)
            except _DeadEnd:
                continue
            counts[composition] = counts.get(composition, 0) + 1
            break
        else:
            raise InfeasibleQuotas(
                [f"La méthode historique n'a trouvé aucun panel en {MAX_RESTARTS} essais : quotas trop serrés."]
            )
    columns = [np.array(c, dtype=np.int64) for c in counts]
    weights = np.array([counts[c] for c in counts], dtype=np.float64) / runs
    return make_distribution(table, panel_size, columns, weights, "legacy", time.perf_counter() - start)
