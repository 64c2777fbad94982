"""Shared helpers of the engine tests: data paths and small random pools."""

from __future__ import annotations

import functools
import itertools
import random
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

from apps.sortition.engine import Distribution, Pool, Quota, leximin, read_pool
from apps.sortition.engine.quotas import TypeTable, build_types

DATA = Path("/work/shared/bench-data/sortition")


def bench_pool(name: str) -> tuple[Pool, int]:
    pool = read_pool(DATA / name / "respondents.csv", DATA / name / "categories.csv")
    return pool, int(name.rsplit("_", 1)[1])


@functools.cache
def bench_leximin(name: str) -> tuple[Pool, int, Distribution]:
    """Leximin of a public instance, computed once per test session (read-only use)."""
    pool, k = bench_pool(name)
    return pool, k, leximin(pool, k)


def random_pool(rng: random.Random, n: int, categories: list[int], panel_size: int, slack: int) -> Pool:
    """A pool with feasible quotas: bounds around the counts of a random panel (± up to ``slack``)."""
    names = [f"c{c}" for c in range(len(categories))]
    features = tuple(tuple(f"v{rng.randrange(m)}" for m in categories) for _ in range(n))
    panel = rng.sample(range(n), panel_size)
    quotas = []
    for c, m in enumerate(categories):
        for v in range(m):
            count = sum(1 for i in panel if features[i][c] == f"v{v}")
            quotas.append(
                Quota(names[c], f"v{v}", max(0, count - rng.randint(0, slack)), count + rng.randint(0, slack))
            )
    return Pool(ids=tuple(f"p{i}" for i in range(n)), categories=tuple(names), quotas=tuple(quotas), features=features)


def all_compositions(table: TypeTable, panel_size: int) -> list[tuple[int, ...]]:
    """Every quota-feasible composition, by brute force (independent of the engine's MIPs)."""
    ranges = [range(int(s) + 1) for s in table.sizes]
    found = []
    for x in itertools.product(*ranges):
        if sum(x) != panel_size:
            continue
        counts = table.incidence @ np.array(x)
        if np.all(counts >= table.mins) and np.all(counts <= table.maxs):
            found.append(x)
    return found


def maximin_bound(pool: Pool, panel_size: int) -> float:
    """Max over lotteries of the minimum selection probability, by scipy's LP on all compositions."""
    table = build_types(pool)
    compositions = all_compositions(table, panel_size)
    m, n = len(compositions), table.n_types
    # Variables: λ_1..λ_m, z. Maximise z  <=>  minimise −z.
    cost = np.zeros(m + 1)
    cost[m] = -1.0
    a_ub = np.zeros((n, m + 1))
    for j, x in enumerate(compositions):
        a_ub[:, j] = -np.array(x) / table.sizes
    a_ub[:, m] = 1.0
    a_eq = np.zeros((1, m + 1))
    a_eq[0, :m] = 1.0
    result = linprog(cost, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=[1.0], bounds=[(0, None)] * (m + 1))
    assert result.status == 0
    return float(-result.fun)


def leximin_by_brute_force(pool: Pool, panel_size: int) -> list[float]:
    """Sorted leximin type probabilities by SciPy LPs over every composition (the definition).

    Stage after stage: maximise the lowest probability z of the types not yet fixed (fixed ones
    keep their level), then fix every type that cannot exceed z while the others stay at z or
    above. Independent of the engine's column generation, for small pools only.
    """
    table = build_types(pool)
    compositions = np.array(all_compositions(table, panel_size), dtype=np.float64)
    shares = compositions.T / table.sizes[:, None]  # shares[t, j]: probability of type t in panel j
    n, m = shares.shape
    levels: dict[int, float] = {}
    while len(levels) < n:
        unfixed = [t for t in range(n) if t not in levels]
        # Variables λ_1..λ_m, z; rows: z − P_t λ ≤ 0 (unfixed), −P_t λ ≤ −level_t (fixed).
        a_ub = np.zeros((n, m + 1))
        b_ub = np.zeros(n)
        for t in range(n):
            a_ub[t, :m] = -shares[t]
            if t in levels:
                b_ub[t] = -levels[t] + 1e-9
            else:
                a_ub[t, m] = 1.0
        a_eq = np.concatenate([np.ones(m), [0.0]])[None, :]
        cost = np.zeros(m + 1)
        cost[m] = -1.0
        bounds = [(0, None)] * m + [(None, None)]
        result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds)
        assert result.status == 0
        z = float(-result.fun)
        # With z fixed as a lower bound for all unfixed types, which of them can go higher?
        a_ub[unfixed, m] = 0.0
        b_ub[unfixed] = -z + 1e-9
        stuck = []
        for t in unfixed:
            objective = np.concatenate([-shares[t], [0.0]])
            best = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds)
            assert best.status == 0
            if -best.fun <= z + 1e-7:
                stuck.append(t)
        for t in stuck or unfixed:
            levels[t] = z
    return sorted(levels[t] for t in range(n) for _ in range(int(table.sizes[t])))
