"""Leximin over the LP relaxation of the quota polytope: the levels to aim at, in milliseconds.

A lottery over panels gives each type ``t`` the probability ``E[x_t] / size_t``, and ``E[x]`` lies in
the polytope P of fractional compositions (``0 ≤ x ≤ size``, ``Σ x = k``, quotas). Leximin over P
needs no panels at all: each stage is one LP over ``x`` ("maximise z such that every type not yet
fixed has ``x_t / size_t ≥ z`` and every fixed type keeps its level"). Lotteries reach only the
convex hull of P's integer points, a subset of P, so the relaxed leximin vector is lexicographically
at least the true one, and equal to it as soon as some lottery reaches it: ``leximin`` then only
has to find that lottery (it does on the bench pools, where every stage ends on the relaxation's
bound). When no lottery reaches it, ``leximin`` falls back to the exact stage-by-stage method.

The stages also say where that lottery's panels lie. A panel with positive weight in an optimal
lottery maximises the stage's dual weights over P (complementary slackness), hence lies in the
optimal face of P for them: a composition variable with a nonzero reduced cost sits at its bound
and a quota row with a nonzero dual at its min or max. The ``Face`` collects those bounds over all
stages; searching panels only there is safe, because a lottery found there is checked to reach the
levels, and nothing is concluded when none is found.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt

from apps.sortition.engine.master import DUAL_TOLERANCE
from apps.sortition.engine.quotas import TypeTable
from apps.sortition.engine.solver import INF, add_columns, add_row, new_highs, optimal

#: A stage level this close to the average probability left ends the computation.
AVERAGE_TOLERANCE = 1e-9
#: Reduced costs and quota duals above this pin a variable or a quota to its bound in the face.
FACE_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Face:
    """Bounds of the compositions worth trying: per type (``lower``, ``upper``) and per quota."""

    lower: npt.NDArray[np.int64]
    upper: npt.NDArray[np.int64]
    mins: npt.NDArray[np.int64]
    maxs: npt.NDArray[np.int64]


@dataclass(frozen=True)
class Relaxed:
    """Leximin levels over P (one per type), the face of P they point to, and the stage count."""

    levels: npt.NDArray[np.float64]
    face: Face
    stages: int


def relaxed_leximin(table: TypeTable, panel_size: int) -> Relaxed | None:
    """Leximin over the LP relaxation (None if HiGHS fails, the caller then uses the exact method)."""
    n, n_quotas = table.n_types, len(table.quotas)
    sizes = table.sizes.astype(np.float64)
    highs = new_highs()
    costs = np.zeros(n + 1)
    costs[n] = 1.0  # z
    add_columns(highs, costs, np.concatenate([np.zeros(n), [-INF]]), np.concatenate([sizes, [INF]]))
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    add_row(highs, panel_size, panel_size, list(range(n)), [1.0] * n)
    for f in range(n_quotas):
        members = [int(t) for t in np.flatnonzero(table.incidence[f])]
        add_row(highs, float(table.mins[f]), float(table.maxs[f]), members, [1.0] * len(members))
    first_type_row = 1 + n_quotas
    for t in range(n):  # x_t / size_t − z ≥ 0 while t is not fixed, x_t / size_t ≥ level_t after
        add_row(highs, 0.0, INF, [t, n], [1.0 / sizes[t], -1.0])

    lower, upper = np.zeros(n, dtype=np.int64), table.sizes.copy()
    mins, maxs = table.mins.copy(), table.maxs.copy()
    levels = np.full(n, np.nan)
    stages = 0
    while np.isnan(levels).any():
        highs.run()
        if not optimal(highs):
            return None
        solution = highs.getSolution()
        x = np.asarray(solution.col_value[:n])
        pinned = np.flatnonzero(np.abs(np.asarray(solution.col_dual[:n])) > FACE_TOLERANCE)
        lower[pinned] = upper[pinned] = np.rint(x[pinned]).astype(np.int64)
        counts = np.asarray(solution.row_value[1:first_type_row])
        bound = np.flatnonzero(np.abs(np.asarray(solution.row_dual[1:first_type_row])) > FACE_TOLERANCE)
        mins[bound] = maxs[bound] = np.rint(counts[bound]).astype(np.int64)

        level = float(solution.col_value[n])
        y = np.abs(np.asarray(solution.row_dual[first_type_row:]))
        unfixed = np.flatnonzero(np.isnan(levels))
        tight = [int(t) for t in unfixed if y[t] > DUAL_TOLERANCE] or [int(unfixed[np.argmax(y[unfixed])])]
        # Probabilities add up to k: when the level reaches the average left for the unfixed
        # types, none can be above it, so they are all fixed now, at that exact average.
        fixed = np.flatnonzero(~np.isnan(levels))
        average = (panel_size - float(levels[fixed] @ sizes[fixed])) / float(sizes[unfixed].sum())
        if level >= average - AVERAGE_TOLERANCE:
            tight, level = [int(t) for t in unfixed], average
        level = min(max(level, 0.0), 1.0)
        for t in tight:
            levels[t] = level
            highs.changeCoeff(first_type_row + t, n, 0.0)
            highs.changeRowBounds(first_type_row + t, level, INF)
        stages += 1
    return Relaxed(levels=levels, face=Face(lower=lower, upper=upper, mins=mins, maxs=maxs), stages=stages)
