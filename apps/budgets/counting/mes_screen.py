"""Many MES runs at once, in floating point, for add1 on small and middle-sized elections.

add1 runs MES at the per-voter budgets b, b + 1, b + 2, ... and stops at the first outcome
that is exhaustive or overspends. On an election like Toulouse 2024 (7,260 voters, 183
projects, about 670 add1 units, 117 projects funded per run) one exact run costs ~8 ms, and
the outcome's funding order changes at most units, so no proof lets add1 skip many of them.
The time there is Python's, one round of one run at a time.

This module makes K runs (K consecutive per-voter budgets) in lockstep: the budgets are a
K × groups matrix, and each step of the loop advances every run by one round with a few
numpy calls over all of them, so the per-round Python cost is shared by K runs.

Same definition as :class:`.equal_shares._Run` (whose docstring has the details): lazy
keys (a project's key only grows during a run, so a stale key is a lower bound and only
the stale keys that could be the smallest are evaluated), rho by the fixed-point iteration
(rho := (cost − poor's budgets) / rich utility, which grows to the solution), ties broken by
the order of ``tie_rank`` (the columns are stored in that order, so ``argmin`` on exactly
equal keys picks the first in the tie-breaking order).

It is a screen, not the result: a run whose every decision is clear by a relative margin
of 1e-9 (float errors are about 1e-12 relative) has the exact outcome's funded set; a run
with a decision inside the margin (two keys that close, supporters' budgets that close to a
cost) is *flagged*, and add1 makes that run exactly. The run add1 keeps is always made
exactly (and checked against the screen).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .tally import FloatArray, IntArray

if TYPE_CHECKING:
    from .equal_shares import MESEngine

MARGIN = 1e-9
BoolArray = npt.NDArray[np.bool_]


class BatchScreen:
    """The per-election arrays of the batched float runs, reordered by tie-breaking rank."""

    def __init__(self, engine: MESEngine) -> None:
        tally = engine.tally
        self.num_projects = num = tally.num_projects
        # Column j holds the project order[j]; ties on equal keys go to the lower column.
        self.order: IntArray = np.array(sorted(range(num), key=lambda p: tally.tie_rank[p]), dtype=np.int64)
        active = set(engine.active)
        self.active_col: BoolArray = np.array([int(p) in active for p in self.order], dtype=np.bool_)
        self.free: list[int] = list(engine.free)
        starts, groups, weights, utilities, lengths = [], [], [], [], []
        position = 0
        for p in self.order.tolist():
            idx = engine.idx[p]
            u = engine.util[p]
            starts.append(position)
            lengths.append(len(idx))
            position += len(idx)
            groups.append(idx)
            weights.append(engine.w_f[p])
            utilities.append(np.ones(len(idx)) if u is None else u.astype(np.float64))
        self.start: IntArray = np.array(starts, dtype=np.int64)
        self.length: IntArray = np.array(lengths, dtype=np.int64)
        self.group: IntArray = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
        self.w: FloatArray = np.concatenate(weights) if weights else np.zeros(0)
        self.u: FloatArray = np.concatenate(utilities) if utilities else np.zeros(0)
        self.wu: FloatArray = self.w * self.u
        self.cost: FloatArray = np.array([engine.cost_f[p] for p in self.order.tolist()])
        self.scale: FloatArray = np.array([engine.scale_f[p] for p in self.order.tolist()])
        self.sum_wu: FloatArray = np.array([float(engine.sum_wu[p]) for p in self.order.tolist()])
        self.num_groups = engine.num_groups
        # Co-support between columns (a superset is safe: it only costs evaluations).
        column_of = np.empty(num, dtype=np.int64)
        column_of[self.order] = np.arange(num)
        self.co: BoolArray = np.zeros((num, num), dtype=np.bool_)
        for p in range(num):
            self.co[column_of[p], column_of[engine.neighbours[p]]] = True
        # Lower bound of every key in every run: all supporters rich at the start.
        with np.errstate(divide="ignore", invalid="ignore"):
            first = np.where(self.active_col, self.cost / self.sum_wu * self.scale, np.inf)
        self.first_key: FloatArray = first
        self.numerator: list[Fraction] = [engine.cost_q[p] * engine.scale_q[p] for p in self.order.tolist()]
        self.unit_u = bool(np.all(self.u == 1.0))

    def _break_tie(
        self, keys: FloatArray, best: float, exact: IntArray, flagged: BoolArray, run: int, chosen: int
    ) -> int:
        """Keys within the margin of the smallest: decided exactly when each of them is
        known exactly (cost × scale / denominator), else the run is flagged."""
        candidates = np.flatnonzero(keys <= best * (1 + MARGIN)).tolist()
        if not all(exact[c] for c in candidates):
            flagged[run] = True
            return chosen
        return min(candidates, key=lambda c: (self.numerator[c] / int(exact[c]), c))

    @property
    def entries(self) -> int:
        return len(self.group)

    def _ragged(self, cols: IntArray) -> tuple[IntArray, IntArray]:
        """Entry positions of the given columns, one after the other, and the pair of each."""
        lengths = self.length[cols]
        total = int(lengths.sum())
        pair = np.repeat(np.arange(len(cols)), lengths)
        offsets = np.cumsum(lengths) - lengths
        within = np.arange(total) - np.repeat(offsets, lengths)
        return np.repeat(self.start[cols], lengths) + within, pair

    def run(self, budgets: list[Fraction]) -> tuple[BoolArray, BoolArray]:
        """Funded sets (K × projects, original project order) and the flag of each run."""
        k_runs = len(budgets)
        num = self.num_projects
        budget = np.empty((k_runs, self.num_groups))
        budget[:] = np.array([float(b) for b in budgets])[:, None]
        key = np.tile(self.first_key, (k_runs, 1))
        fresh = np.zeros((k_runs, num), dtype=np.bool_)
        # Denominator of the exact key (0: not known exactly), see ``_evaluate``.
        exact = np.zeros((k_runs, num), dtype=np.int64)
        flat_budget = budget.reshape(-1)
        flat_dead = np.zeros(k_runs * self.num_groups, dtype=np.bool_)
        funded = np.zeros((k_runs, num), dtype=np.bool_)
        flagged = np.zeros(k_runs, dtype=np.bool_)
        running = np.arange(k_runs)
        while len(running):
            keys = key[running]
            best = keys.min(axis=1)
            # Evaluate every stale key that could be, or come within the margin of, the smallest.
            while True:
                # (inf: funded or unaffordable for good; never evaluated again.)
                stale = ~fresh[running] & (keys <= best[:, None] * (1 + MARGIN)) & np.isfinite(keys)
                rows, cols = np.nonzero(stale)
                if len(rows) == 0:
                    break
                runs = running[rows]
                values, close, denominator = self._evaluate(flat_budget, flat_dead, runs, cols)
                key[runs, cols] = values
                fresh[runs, cols] = True
                exact[runs, cols] = denominator
                flagged[runs[close]] = True
                keys = key[running]
                best = keys.min(axis=1)
            done = ~np.isfinite(best)
            if done.any():
                running, keys, best = running[~done], keys[~done], best[~done]
                if not len(running):
                    break
            chosen = keys.argmin(axis=1)
            # A second key within the margin of the smallest: too close to call in floats.
            near = (keys <= best[:, None] * (1 + MARGIN)).sum(axis=1) > 1
            for i in np.flatnonzero(near).tolist():
                chosen[i] = self._break_tie(keys[i], best[i], exact[running[i]], flagged, running[i], chosen[i])
            best = keys[np.arange(len(running)), chosen]
            self._fund(flat_budget, flat_dead, running, chosen, best / self.scale[chosen])
            funded[running, chosen] = True
            key[running, chosen] = np.inf
            fresh[running] &= ~self.co[chosen]
            fresh[running, chosen] = True
        result = np.zeros((k_runs, num), dtype=np.bool_)
        result[:, self.order] = funded
        if self.free:
            result[:, self.free] = True
        return result, flagged

    def _evaluate(
        self, flat_budget: FloatArray, flat_dead: BoolArray, runs: IntArray, cols: IntArray
    ) -> tuple[FloatArray, BoolArray, IntArray]:
        """Current key of each (run, column) pair (inf: unaffordable), whether its
        affordability is too close to call, and the denominator of its exact key when it is
        known exactly (cost × scale / denominator), else 0."""
        entries, pair = self._ragged(cols)
        n = len(cols)
        at = runs[pair] * self.num_groups + self.group[entries]
        b = flat_budget[at]
        dead = flat_dead[at]
        w = self.w[entries]
        ratio = b if self.unit_u else b / self.u[entries]
        wb = w * b
        wu = w if self.unit_u else self.wu[entries]
        cost = self.cost[cols]
        available = np.bincount(pair, weights=wb, minlength=n)
        close = np.abs(available - cost) <= MARGIN * (available + cost)
        affordable = available >= cost
        # Voters surely out of money hold exactly 0: they are poor at any rho, so the
        # iteration starts from cost / (the others' utility), and when all the others are
        # surely rich there, that is the exact key (its denominator is returned).
        living = np.bincount(pair, weights=np.where(dead, 0.0, wu), minlength=n)
        rho = cost / living
        doubt = ~dead & (ratio < rho[pair] * (1 + MARGIN))
        all_rich = np.bincount(pair, weights=doubt, minlength=n) == 0
        # Fixed point on the pairs with someone poor at the start, on their entries only.
        pending = affordable & ~all_rich
        if pending.any():
            keep = pending[pair]
            pair, ratio, wb, wu = pair[keep], ratio[keep], wb[keep], wu[keep]
            while pending.any():
                poor = ratio < rho[pair]
                poor_money = np.bincount(pair, weights=wb * poor, minlength=n)
                rich_utility = np.bincount(pair, weights=wu * ~poor, minlength=n)
                with np.errstate(divide="ignore", invalid="ignore"):
                    new = (cost - poor_money) / rich_utility
                pending &= new > rho
                rho = np.where(pending, new, rho)
        denominator = np.where(all_rich & affordable, living, 0.0).astype(np.int64)
        return np.where(affordable, rho * self.scale[cols], np.inf), close, denominator

    def _fund(
        self, flat_budget: FloatArray, flat_dead: BoolArray, runs: IntArray, cols: IntArray, rho: FloatArray
    ) -> None:
        """Every supporter pays min(budget, rho × u); those who pay all they have by a
        clear margin are out of money exactly."""
        entries, pair = self._ragged(cols)
        at = runs[pair] * self.num_groups + self.group[entries]
        pay = rho[pair] if self.unit_u else rho[pair] * self.u[entries]
        b = flat_budget[at]
        flat_budget[at] = np.maximum(b - pay, 0.0)
        flat_dead[at] |= b < pay * (1 - MARGIN)
