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
with a decision inside the margin (supporters' budgets that close to a cost, two keys that
close when one of them is not known exactly) is *flagged*, and add1 makes that run exactly.
Exact ties are frequent on real files (equal costs, equal numbers of supporters): a key is
known exactly when every supporter not surely out of money pays in full (see
``_exact_denominator``), and such keys are compared as Fractions, then by ``tie_rank``.
The run add1 keeps is always made exactly (and checked against the screen).
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

    def _break_tie(self, state: _State, run: int, best: float, chosen: int) -> int:
        """Keys within the margin of the smallest: decided exactly when each of them is
        known exactly (see ``_exact_denominator``), else the run is flagged."""
        candidates = np.flatnonzero(state.key[run] <= best * (1 + MARGIN)).tolist()
        exact = [self._exact_denominator(state, run, c) for c in candidates]
        if not all(exact):
            state.flagged[run] = True
            return chosen
        return min(zip(candidates, exact, strict=True), key=lambda ce: (self.numerator[ce[0]] / ce[1], ce[0]))[0]

    def _exact_denominator(self, state: _State, run: int, col: int) -> int:
        """The denominator of col's exact key in this run, or 0 when not known exactly.

        Voters surely out of money hold exactly 0 (poor at any rho); when every other
        supporter surely pays in full at cost / (their utility), that is the exact rho, and
        the key is ``numerator / their utility`` (an integer)."""
        start, end = self.start[col], self.start[col] + self.length[col]
        at = run * self.num_groups + self.group[start:end]
        dead = state.dead[at]
        living = int(self.wu[start:end][~dead].sum())
        if living == 0:
            return 0
        rho = self.cost[col] / living
        ratio = state.budget[at] / self.u[start:end]
        return 0 if bool((ratio[~dead] < rho * (1 + MARGIN)).any()) else living

    def _ragged(self, cols: IntArray) -> tuple[IntArray, IntArray, IntArray]:
        """Entry positions of the given columns, one after the other, the columns' lengths
        and the position of each column's first entry."""
        lengths = self.length[cols]
        ends = np.cumsum(lengths)
        firsts = ends - lengths
        return np.arange(int(ends[-1])) + np.repeat(self.start[cols] - firsts, lengths), lengths, firsts

    def run(self, budgets: list[Fraction], cap: float = np.inf) -> tuple[BoolArray, BoolArray, BoolArray]:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._run(budgets, cap)

    def _run(self, budgets: list[Fraction], cap: float) -> tuple[BoolArray, BoolArray, BoolArray]:
        """Funded sets (K × projects, original project order), the flag of each run, and
        the runs abandoned: once a run surely funds more than ``cap`` (add1 stops there or
        before), the runs at higher budgets are not needed and are left unfinished."""
        k_runs = len(budgets)
        state = _State(self, budgets)
        key, fresh = state.key, state.fresh
        everyone = np.arange(k_runs)
        while True:
            best = key.min(axis=1)
            # Evaluate every stale key that could be, or come within the margin of, the
            # smallest (inf: funded or unaffordable for good, never evaluated again).
            while True:
                limit = np.where(np.isfinite(best), best * (1 + MARGIN), -np.inf)
                at = np.flatnonzero((key <= limit[:, None]) & ~fresh)
                if len(at) == 0:
                    break
                runs, cols = np.divmod(at, key.shape[1])
                values, close = self._evaluate(state, runs, cols)
                key[runs, cols] = values
                fresh[runs, cols] = True
                state.flagged[runs[close]] = True
                best = key.min(axis=1)
            running = everyone[np.isfinite(best)]
            if not len(running):
                break
            keys, best = key[running], best[running]
            chosen = keys.argmin(axis=1)
            # A second key within the margin of the smallest: too close to call in floats.
            near = (keys <= (best * (1 + MARGIN))[:, None]).sum(axis=1) > 1
            for i in np.flatnonzero(near).tolist():
                chosen[i] = self._break_tie(state, int(running[i]), float(best[i]), int(chosen[i]))
            self._fund(state, running, chosen, keys[np.arange(len(running)), chosen] / self.scale[chosen])
            state.funded[running, chosen] = True
            state.spent[running] += self.cost[chosen]
            over = np.flatnonzero(state.spent > cap * (1 + MARGIN))
            if len(over) and over[0] + 1 < k_runs and not state.abandoned[over[0] + 1]:
                state.abandoned[over[0] + 1 :] = True
                key[over[0] + 1 :] = np.inf
            key[running, chosen] = np.inf
            fresh[running] &= ~self.co[chosen]
            fresh[running, chosen] = True
        result = np.zeros((k_runs, self.num_projects), dtype=np.bool_)
        result[:, self.order] = state.funded
        if self.free:
            result[:, self.free] = True
        return result, state.flagged, state.abandoned

    def _evaluate(self, state: _State, runs: IntArray, cols: IntArray) -> tuple[FloatArray, BoolArray]:
        """Current key of each (run, column) pair (inf: unaffordable), and whether its
        affordability is too close to call. Each pair's entries are contiguous, so sums
        per pair are ``np.add.reduceat`` over the pairs' first entries."""
        entries, lengths, firsts = self._ragged(cols)
        b = state.budget[np.repeat(runs * self.num_groups, lengths) + self.group[entries]]
        w = self.w[entries]
        wb = w * b
        cost = self.cost[cols]
        available = np.add.reduceat(wb, firsts)
        close = np.abs(available - cost) <= MARGIN * (available + cost)
        affordable = available >= cost
        # rho := (cost − the poor's money) / the rich's utility, which grows to the solution
        # from any lower bound: from the pair's last key (rho only grows during a run).
        rho = state.key[runs, cols] / self.scale[cols]
        ratio = b if self.unit_u else b / self.u[entries]
        wu = w if self.unit_u else self.wu[entries]
        # The pairs still iterating (indices into the n pairs) and their entries.
        live = np.flatnonzero(affordable)
        if len(live) < len(cols):
            keep = np.repeat(affordable, lengths)
            ratio, wb, wu, lengths = ratio[keep], wb[keep], wu[keep], lengths[live]
            firsts = np.cumsum(lengths) - lengths
        live_rho, live_cost, live_total = rho[live], cost[live], self.sum_wu[cols][live]
        while len(live):
            poor = ratio < np.repeat(live_rho, lengths)
            poor_money = np.add.reduceat(wb * poor, firsts)
            rich_utility = live_total - np.add.reduceat(wu * poor, firsts)  # integers: exact
            new = (live_cost - poor_money) / rich_utility  # 0 / 0 only near a flagged cost
            moving = new > live_rho
            rho[live[moving]] = new[moving]
            if moving.all():
                live_rho = new
                continue
            keep = np.repeat(moving, lengths)
            live, live_rho, live_cost, live_total = live[moving], new[moving], live_cost[moving], live_total[moving]
            ratio, wb, wu, lengths = ratio[keep], wb[keep], wu[keep], lengths[moving]
            firsts = np.cumsum(lengths) - lengths
        return np.where(affordable, rho * self.scale[cols], np.inf), close

    def _fund(self, state: _State, runs: IntArray, cols: IntArray, rho: FloatArray) -> None:
        """Every supporter pays min(budget, rho × u); those who pay all they have by a
        clear margin are out of money exactly."""
        entries, lengths, _ = self._ragged(cols)
        at = np.repeat(runs * self.num_groups, lengths) + self.group[entries]
        pay = np.repeat(rho, lengths)
        if not self.unit_u:
            pay *= self.u[entries]
        b = state.budget[at]
        state.budget[at] = np.maximum(b - pay, 0.0)
        state.dead[at] |= b < pay * (1 - MARGIN)


class _State:
    """The K runs of one batch: budgets and out-of-money marks (flat, K × groups), keys."""

    def __init__(self, screen: BatchScreen, budgets: list[Fraction]) -> None:
        k_runs, num = len(budgets), screen.num_projects
        self.budget: FloatArray = np.repeat(np.array([float(b) for b in budgets]), screen.num_groups)
        self.dead: BoolArray = np.zeros(k_runs * screen.num_groups, dtype=np.bool_)
        # Lower bound of each key (exact when fresh): everyone rich at the start.
        self.key: FloatArray = np.tile(screen.first_key, (k_runs, 1))
        self.fresh: BoolArray = np.zeros((k_runs, num), dtype=np.bool_)
        self.funded: BoolArray = np.zeros((k_runs, num), dtype=np.bool_)
        self.flagged: BoolArray = np.zeros(k_runs, dtype=np.bool_)
        self.spent: FloatArray = np.zeros(k_runs)
        self.abandoned: BoolArray = np.zeros(k_runs, dtype=np.bool_)
