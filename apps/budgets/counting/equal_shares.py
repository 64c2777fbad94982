"""The Method of Equal Shares (MES) and its "add1" completion.

Definition (Peters & Skowron; equalshares.net; pabutools ``method_of_equal_shares``):

Each of the n voters receives B / n. In each round, for every project p not yet funded,
find the smallest factor rho such that its supporters can pay its cost when each supporter
i pays ``min(budget_i, rho × u_i(p))``. Fund the project with the smallest rho, take the
payments from its supporters, and repeat until no project can be paid (the supporters of
every remaining project hold less than its cost together).

- Approval ballots use *cost utilities*: u_i(p) = cost(p) for a supporter. A supporter
  pays at most ``rho × cost(p)``, and the project funded is the one with the smallest
  payment per unit of cost (equalshares.net's largest "effective vote count",
  pabutools with ``Cost_Sat``).
- Cumulative and scoring ballots use the points as utilities, ordinal ballots Borda points
  (pabutools ``Additive_Cardinal_Sat``; see :mod:`.tally`).
- Projects nobody supports are never funded; supported projects of cost 0 are funded
  before the first round (as pabutools does).
- Ties (exactly equal rho): lower cost first, then lower project id (numeric when every id
  is a number), the rule of :func:`.profiles.tie_break_keys`, also used by the greedy rule.

Completion ``add1-utilitarian`` (equalshares.net's default, used by Wieliczka, Świecie,
Assen; pabutools ``voter_budget_increment=1`` followed by ``greedy_utilitarian_welfare``):
run MES with a per-voter budget of B/n, B/n + 1, B/n + 2, ... (one currency unit more per
voter each time). Stop at the first run whose outcome costs more than B, and keep the
previous outcome; or stop at the first run whose outcome is *exhaustive* (no supported,
non-free, unfunded project fits in what is left of B) and keep that one. Then fund the
remaining projects greedily by score (:mod:`.greedy`) within what is left of B.

Exactness and speed
-------------------
Everything that decides a winner is exact; floating point is only a fast path whose
results are either provably far from any decision boundary or re-checked with Fractions.

- Voters with identical ballots form one weighted group; a project's supporters are a
  column of a sparse matrix, so one evaluation is a few vectorised numpy passes.
- Budgets are float64 per group. The rho of a project with few supporter groups is found
  by a fixed-point iteration (rho_0 = cost / total utility; then poor := voters who cannot
  pay rho × u, rho := (cost - poor's budgets) / rich utility), which increases
  monotonically to the solution in a few passes. With many supporter groups, by a
  water-filling restricted to a band: supporters below the project's previous rho in the
  run are poor anyway (rho only grows), those above a guessed upper bound are rich if the
  result stays below it (checked); only the band, a few percent, is sorted.
- Rho only grows during a run (budgets only shrink), so stale values are lower bounds:
  projects sit in a lazy priority queue and are re-evaluated only when they reach the top
  after one of their supporters has paid (co-support is precomputed once per election;
  on large elections, connected components replace it, a superset).
- Dot products over more than 8,192 supporters are cut into pieces: OpenBLAS would spread
  them over threads, which made them 10 to 100 times slower on a busy 2-core machine.
- Exact values: a voter who has never been "poor" has paid exactly ``rho_j × u_ij`` for
  each funded project j it supports, so its exact budget is ``b0 - Σ_j rho_j × u_ij``; a
  voter who was poor once holds exactly 0. The exact total budget of any set of such voters
  is therefore ``W × b0 - Σ_j rho_j × U_j`` with integer counts U_j — a handful of Fraction
  operations per funded project, whatever the number of voters. The exact rho of the
  funded project is computed this way each round (voters whose float budget is within
  1e-9 of the threshold get their exact budget individually), and stored as a Fraction.
- Decisions re-checked exactly: candidates whose float rho are within a relative 1e-9 of
  the best are compared with exact rho (then the tie-breaking); a project whose supporters'
  float budget is within 1e-9 of its cost gets an exact affordability test. Float errors
  are around 1e-12 relative, far below these margins.
- ``add1`` makes many runs; the compiled election, supporter arrays and co-support lists
  are shared by all runs, and each run is the same exact computation. Outcomes are those
  of the one-unit-at-a-time definition. Budgets whose funded set is *proved* equal to the
  last run's are skipped: a shadow replays the run's funding order at a higher per-voter
  budget in floating point and checks, for every two co-supported projects, that their
  order holds over the whole interval (:class:`_Shadow`: along a fixed order, budgets grow
  and rho falls with the per-voter budget, so comparing the higher budget's keys with the
  lower budget's is enough). Equal funded sets mean equal cost and exhaustiveness, which
  is all add1 looks at until it stops; the run it keeps is always an actual run at its own
  per-voter budget (when the run after a skip overspends, the run just below it is made).
  The ``stable_for`` bound of tracked runs (every budget and rho affine in the increment)
  is exact too and used where it proves more, but it stops at every change of a poor/rich
  partition, which on large electorates happens at almost every unit.
  On small and middle-sized elections (up to 60,000 ballot entries, per-voter budget up to
  20,000 units) add1 instead screens every unit with batched floating-point runs
  (:mod:`.mes_screen`: 64 budgets side by side, a few numpy calls per round for all of
  them), makes exactly only the runs the screen flags (a decision within 1e-9 of a tie or
  of a cost) and the run it keeps, and checks that one against the screen. Toulouse 2024:
  672 screened runs and 1 exact run, 0.8 s instead of 5.
  Two runs at once in threads were tried and gave nothing (between short numpy calls the
  time is Python's, under the GIL); processes (forking a web worker) were not tried.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph

from .tally import FloatArray, IntArray, Tally

TOL = 1e-9
# Up to this many supporter groups, rho is found by a fixed-point iteration, beyond by a
# water-filling over a band of supporters (see ``_Run.evaluate``).
SMALL = 1024
BoolArray = npt.NDArray[np.bool_]


@dataclass
class MESRun:
    """The outcome of one run of MES with a given per-voter budget."""

    per_voter_budget: Fraction
    selected: list[int]  # in order of funding (free projects first)
    rounds: dict[int, int]  # round (1-based) of each funded project, 0 for free ones
    # Projects found unaffordable: (float budget of their supporters, round of the finding).
    unaffordable: dict[int, tuple[float, int]] = field(default_factory=dict)
    state: _Run | None = None
    # The outcome is the same for every per-voter budget in [b, b + stable_for).
    stable_for: float = 0.0

    def rho(self) -> dict[int, Fraction]:
        """Exact rho of each funded project (0 for free ones), computed on first use."""
        values: dict[int, Fraction] = {p: Fraction(0) for p in self.selected if self.rounds[p] == 0}
        if self.state is not None:
            values.update(self.state.exact_rhos())
        return values


class MESEngine:
    """Per-election arrays shared by every run of MES on that election."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.num_projects = tally.num_projects
        self.weights = tally.weights
        self.weights_f = tally.weights.astype(np.float64)
        self.num_groups = len(tally.weights)
        cols = tally.cols
        self.idx: list[IntArray] = []
        self.util: list[IntArray | None] = []  # None: every utility is 1
        self.w_f: list[FloatArray] = []
        self.unit_w: list[bool] = []  # every supporter group has weight 1
        self.wu_f: list[FloatArray] = []
        self.wu_i: list[IntArray] = []
        self.sum_wu: list[int] = []
        self.cost_q: list[Fraction] = [Fraction(c) for c in tally.costs]
        self.cost_f: list[float] = [float(c) for c in tally.costs]
        # rho × scale is the quantity compared between projects (1/cost for cost utilities).
        self.scale_q: list[Fraction] = [
            Fraction(1, 1) / c if tally.cost_utilities and c > 0 else Fraction(1) for c in self.cost_q
        ]
        self.scale_f: list[float] = [float(s) for s in self.scale_q]
        for p in range(self.num_projects):
            start, end = cols.indptr[p], cols.indptr[p + 1]
            groups = cols.indices[start:end].astype(np.int64)
            utilities = cols.data[start:end].astype(np.int64)
            w = tally.weights[groups]
            self.idx.append(groups)
            self.util.append(None if bool(np.all(utilities == 1)) else utilities)
            self.w_f.append(w.astype(np.float64))
            self.unit_w.append(bool(np.all(w == 1)))
            wu = w * utilities
            self.wu_i.append(wu)
            self.wu_f.append(wu.astype(np.float64))
            self.sum_wu.append(int(wu.sum()))
        self.active = [p for p in range(self.num_projects) if self.sum_wu[p] > 0 and self.cost_q[p] > 0]
        self.active_arr = np.array(self.active, dtype=np.int64)
        self.free = sorted(
            (p for p in range(self.num_projects) if self.sum_wu[p] > 0 and self.cost_q[p] == 0),
            key=lambda p: tally.tie_rank[p],
        )
        # Co-support: the projects whose rho may change when p is funded (a superset is
        # safe: it only costs re-evaluations).
        self.neighbours = _co_support(tally.rows)
        self.rows_indptr = tally.rows.indptr
        self.rows_indices = tally.rows.indices
        self.rows_data = tally.rows.data
        self.rows = tally.rows

    # ------------------------------------------------------------------ one run

    def run(self, per_voter_budget: Fraction, *, track: bool = False) -> MESRun:
        """One run; ``track`` also computes ``stable_for`` (slower, used by add1 to skip runs)."""
        return _Run(self, per_voter_budget, track).execute()

    def same_outcome_up_to(self, run: MESRun, upper: Fraction) -> bool:
        """True if MES gives ``run``'s funded set for every per-voter budget in [run's, upper].

        A proof, never a guess: ``False`` only means "not proved" (see :class:`_Shadow`).
        """
        if upper <= run.per_voter_budget or run.state is None:
            return upper == run.per_voter_budget
        return _Shadow(self, run.state, upper).holds()


class _Run:
    def __init__(self, engine: MESEngine, b0: Fraction, track: bool) -> None:
        self.e = engine
        self.track = track
        self.b0 = b0
        self.b0_f = float(b0)
        self.budget: FloatArray = np.full(engine.num_groups, self.b0_f)
        self.alive: BoolArray = np.ones(engine.num_groups, dtype=np.bool_)
        self.funded: list[int] = []  # non-free funded projects, in order
        self.round_of: dict[int, int] = {}  # funded project -> its round (1-based)
        self.rho: dict[int, Fraction] = {}  # exact rho, computed
        # Funded projects whose exact rho is not computed yet: (sure-poor groups, rich utility).
        # Most runs never need them; they are computed on demand, in round order.
        self.deferred: dict[int, tuple[IntArray, int]] = {}
        self.rho_f: dict[int, float] = {}
        # Parametric view for add1 jumps: with the per-voter budget b0 + delta, every budget
        # is slope × delta + budget as long as the run's decisions do not change, and
        # ``stable_for`` is a lower bound on the first delta where one could change.
        self.slope: FloatArray = np.ones(engine.num_groups)
        self.key_a: FloatArray = np.zeros(engine.num_projects)
        self.key_b: FloatArray = np.zeros(engine.num_projects)
        self.stable_for = float("inf") if track else 0.0
        # Last float rho of each project in this run (a lower bound of its current rho).
        self.last_rho: FloatArray = np.zeros(engine.num_projects)

    # ---------------------------------------------------------------- exact side

    def force(self, before_round: int) -> None:
        """Compute the exact rho of every project funded before ``before_round``."""
        if not self.deferred:
            return
        for p in self.funded:
            if self.round_of[p] >= before_round:
                break
            if p in self.deferred:
                groups, denominator = self.deferred.pop(p)
                paid = self.exact_total(groups, self.round_of[p])
                rho = (self.e.cost_q[p] - paid) / denominator
                self.rho[p] = rho
                if abs(float(rho) - self.rho_f[p]) > 1e-7 * self.rho_f[p]:
                    raise ArithmeticError("floating-point drift beyond the exactness margin")

    def exact_budget(self, group: int, before_round: int) -> Fraction:
        """Exact budget, before ``before_round``, of a voter of a group never poor so far."""
        e = self.e
        self.force(before_round)
        value = self.b0
        for k in range(e.rows_indptr[group], e.rows_indptr[group + 1]):
            j = int(e.rows_indices[k])
            if self.round_of.get(j, before_round) < before_round:
                value -= self.rho[j] * int(e.rows_data[k])
        return value

    def exact_total(self, groups: IntArray, before_round: int) -> Fraction:
        """Exact total budget, before ``before_round``, of the voters of ``groups`` (never poor)."""
        if len(groups) == 0:
            return Fraction(0)
        e = self.e
        w = e.weights[groups]
        total = Fraction(int(w.sum())) * self.b0
        if self.funded and self.round_of[self.funded[0]] < before_round:
            self.force(before_round)
            counts = e.rows[groups].T @ w  # integer sum of w x u per project
            for j in self.funded:
                if self.round_of[j] >= before_round:
                    break
                if counts[j]:
                    total -= self.rho[j] * int(counts[j])
        return total

    def exact_rho(self, p: int, rho_f: float, *, now: bool) -> tuple[Fraction | None, BoolArray, int, IntArray]:
        """Rho of p at the current round and the mask of its supporters who pay all they have.

        The rho is exact, or ``None`` when ``now`` is false and it can be deferred (no
        supporter close to the threshold: the partition is certain, only the value waits).
        Also returns the rich utility and the sure-poor groups, for deferring.
        """
        e = self.e
        current = len(self.funded) + 1
        idx = e.idx[p]
        u = e.util[p]
        b = self.budget[idx]
        alive = self.alive[idx]
        threshold = rho_f if u is None else rho_f * u
        tolerance = TOL * (self.b0_f + threshold)
        diff = b - threshold
        sure_poor = alive & (diff < -tolerance)
        ambiguous = alive & (np.abs(diff) <= tolerance)
        denominator = int(e.wu_i[p][alive & ~sure_poor].sum())
        poor = ~alive | sure_poor
        poor_groups = idx[sure_poor]
        if not ambiguous.any() and not now:
            return None, poor, denominator, poor_groups
        paid = self.exact_total(poor_groups, current)
        cost = e.cost_q[p]
        pending: list[tuple[Fraction, int, int, int, Fraction]] = []
        for k in np.flatnonzero(ambiguous):
            group = int(idx[k])
            utility = 1 if u is None else int(u[k])
            exact = self.exact_budget(group, current)
            pending.append((exact / utility, int(k), int(e.weights[group]), utility, exact))
        pending.sort()
        rho: Fraction | None = None
        for _, pos, weight, utility, exact in pending:
            if denominator <= 0:
                break
            candidate = (cost - paid) / denominator
            if candidate * utility <= exact:
                rho = candidate
                break
            paid += weight * exact
            denominator -= weight * utility
            poor[pos] = True
        if rho is None and denominator > 0:
            rho = (cost - paid) / denominator
        if rho is None or abs(float(rho) - rho_f) > 1e-7 * rho_f:
            rho, poor = self.exact_rho_slow(p)
        return rho, poor, denominator, poor_groups

    def exact_rho_slow(self, p: int) -> tuple[Fraction, BoolArray]:
        """Same as :meth:`exact_rho` with every supporter's budget exact (a safety net)."""
        e = self.e
        current = len(self.funded) + 1
        idx = e.idx[p]
        u = e.util[p]
        alive = self.alive[idx]
        poor = ~alive
        entries: list[tuple[Fraction, int, int, int, Fraction]] = []
        for k in np.flatnonzero(alive):
            group = int(idx[k])
            utility = 1 if u is None else int(u[k])
            exact = self.exact_budget(group, current)
            entries.append((exact / utility, int(k), int(e.weights[group]), utility, exact))
        entries.sort()
        paid = Fraction(0)
        denominator = sum(weight * utility for _, _, weight, utility, _ in entries)
        cost = e.cost_q[p]
        for _, pos, weight, utility, exact in entries:
            candidate = (cost - paid) / denominator
            if candidate * utility <= exact:
                return candidate, poor
            paid += weight * exact
            denominator -= weight * utility
            poor[pos] = True
        raise ArithmeticError(f"project {e.tally.project_ids[p]} is not affordable")

    # ----------------------------------------------------------------- fast side

    def evaluate(self, p: int) -> tuple[float, float, float]:
        """(rho, budget of the supporters, slope) in floating point; rho is inf when unaffordable.

        The slope is d rho / d delta for the current poor/rich split (a lower bound of rho
        at any delta), or d budget / d delta of the supporters when unaffordable.

        Rho is found by water-filling (sort by budget per unit of utility, find the first
        supporter who can pay), but only over a band of supporters: rho only grows during a
        run, so those below the project's previous rho (``lower``) are poor anyway and only
        their totals matter; those at or above a guess ``threshold`` (``lower`` x 1.15) are
        rich whenever the result is below the threshold, which is checked (else the guess
        grows and the band is taken again). The band is typically a few percent of the
        supporters.
        """
        e = self.e
        idx = e.idx[p]
        b = self.budget[idx]
        cost = e.cost_f[p]
        w = e.w_f[p]
        available = _dot(w, b)
        if available < cost * (1 - TOL) or (
            available <= cost * (1 + TOL) and self.exact_total(idx[self.alive[idx]], len(self.funded) + 1) < e.cost_q[p]
        ):
            return float("inf"), available, _dot(w, self.slope[idx])
        u = e.util[p]
        ratio = b if u is None else b / u
        total_wu = float(e.sum_wu[p])
        rho0 = cost / total_wu
        if float(ratio.min()) >= rho0:
            # Everyone can pay an equal share of the cost.
            self.last_rho[p] = rho0
            return rho0, available, 0.0
        wu_all = e.wu_f[p]
        if len(idx) <= SMALL:
            # Few supporters: a fixed-point iteration costs fewer numpy calls. rho :=
            # (cost - what the poor hold) / utility of the rich, where the poor are those who
            # cannot pay rho x u; it increases to the solution, usually in 2 or 3 steps.
            wb = w * b
            rho = rho0
            poor_count = -1
            for _ in range(8):
                poor = ratio < rho
                count = int(np.count_nonzero(poor))
                rich_wu = total_wu - float(wu_all[poor].sum())
                if count == poor_count:
                    self.last_rho[p] = rho
                    return rho, available, self.rho_slope(p, poor, rich_wu)
                poor_count = count
                if rich_wu <= 0:
                    break
                rho = max(rho, (cost - float(wb[poor].sum())) / rich_wu)
        # rho >= lower: budgets only shrink during a run, so rho only grows. (The previous
        # value is a float: shaved by far more than its rounding error.)
        lower = max(rho0, self.last_rho[p] * (1 - 1e-12))
        threshold = lower * 1.15
        while True:
            low = (ratio < threshold).nonzero()[0]
            r = ratio[low]
            # Below ``lower``: poor whatever rho is, only their totals matter (supporters
            # with nothing left, most often poor since an earlier round, are among them).
            sure = r < lower
            poor_idx = low[sure]
            band = low[~sure]
            base_wu = total_wu - float(wu_all[poor_idx].sum())
            if base_wu <= 0:
                # Everyone pays all they have: only on a near-boundary affordability
                # (checked exactly above).
                rho = float(ratio.max())
                break
            base_cost = cost - _dot(w[poor_idx], b[poor_idx])
            m = len(band)
            if m == 0:
                rho = base_cost / base_wu
                if rho < threshold:
                    break
                threshold = rho * 1.5
                continue
            band = band[ratio[band].argsort(kind="stable")]
            r = ratio[band]
            remaining = base_wu - wu_all[band].cumsum()
            cand = np.empty(m + 1)
            cand[0] = base_cost / base_wu
            paid = base_cost - (w[band] * b[band]).cumsum()
            if remaining[-1] > 0:
                cand[1:] = paid / remaining
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    cand[1:] = paid / remaining
            # cand[k]: rho if the sure-poor supporters and the k lowest of the band pay all
            # they have, the others rho x u; the first k where supporter k can pay it.
            ok = (cand[:m] <= r * (1 + 1e-15)).nonzero()[0]
            if len(ok):
                rho = float(cand[ok[0]])
                break
            if remaining[-1] <= 0:
                rho = float(ratio.max())
                break
            if cand[m] < threshold:
                # Every supporter at or above the threshold can pay cand[m] x u.
                rho = float(cand[m])
                break
            threshold = max(threshold, float(cand[m])) * 1.5
        self.last_rho[p] = rho
        if not self.track:
            return rho, available, 0.0
        poor = ratio < rho
        return rho, available, self.rho_slope(p, poor, total_wu - float(e.wu_f[p][poor].sum()))

    def rho_slope(self, p: int, poor: BoolArray, rich_wu: float) -> float:
        if not self.track or rich_wu <= 0:
            return 0.0
        return -_dot(self.e.w_f[p][poor], self.slope[self.e.idx[p][poor]]) / rich_wu

    def limit(
        self,
        gap: FloatArray | float,
        rate: FloatArray | float,
        gap_scale: FloatArray | float,
        rate_scale: FloatArray | float,
    ) -> None:
        """Decisions hold while gap + delta × rate keeps the sign of gap >= 0 (rate < 0 closes it).

        Conservative in floating point: the gap is shrunk and the rate grown by margins far
        above the rounding errors, so the bound is never beyond the true crossing.
        """
        if not self.track:
            return
        if not isinstance(gap, np.ndarray):
            # Scalar fast path (one project's affordability).
            assert not isinstance(rate, np.ndarray)
            assert not isinstance(gap_scale, np.ndarray)
            assert not isinstance(rate_scale, np.ndarray)
            if rate >= 1e-10 * abs(rate_scale):
                return
            closing_speed = -rate + 1e-10 * abs(rate_scale)
            safe = max(gap - 1e-10 * abs(gap_scale), 0.0)
            bound = safe / closing_speed if closing_speed > 0 else (math.inf if safe > 0 else 0.0)
            self.stable_for = min(self.stable_for, bound)
            return
        gap_arr = np.asarray(gap, dtype=np.float64)
        rate_arr = np.asarray(rate, dtype=np.float64)
        err_gap = 1e-10 * np.abs(np.asarray(gap_scale, dtype=np.float64))
        err_rate = 1e-10 * np.abs(np.asarray(rate_scale, dtype=np.float64))
        closing = rate_arr < err_rate
        if not closing.any():
            return
        safe_gap = np.maximum(gap_arr[closing] - err_gap[closing] if err_gap.ndim else gap_arr[closing] - err_gap, 0.0)
        speed = -rate_arr[closing] + (err_rate[closing] if err_rate.ndim else err_rate)
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing = np.where(speed > 0, safe_gap / speed, np.where(safe_gap > 0, np.inf, 0.0))
        self.stable_for = min(self.stable_for, float(crossing.min()))

    # ------------------------------------------------------------------ the run

    def execute(self) -> MESRun:
        e = self.e
        tie_rank = e.tally.tie_rank
        evaluated = np.full(e.num_projects, -1, dtype=np.int64)
        touched = np.zeros(e.num_projects, dtype=np.int64)
        done = np.zeros(e.num_projects, dtype=np.bool_)
        unaffordable: dict[int, tuple[float, int]] = {}
        heap: list[tuple[float, int, int]] = [
            (e.cost_f[p] / e.sum_wu[p] * e.scale_f[p], tie_rank[p], p) for p in e.active
        ]
        heapq.heapify(heap)
        step = 0
        rounds: dict[int, int] = {}

        for p in e.active:
            self.key_a[p] = e.cost_f[p] / e.sum_wu[p] * e.scale_f[p]

        def refresh(p: int) -> None:
            rho_f, available, slope = self.evaluate(p)
            evaluated[p] = step
            if rho_f == float("inf"):
                done[p] = True
                unaffordable[p] = (available, step + 1)
                # Stays unaffordable while its supporters hold less than its cost.
                self.limit(e.cost_f[p] - available, -slope, e.cost_f[p] + available, slope)
            else:
                self.key_a[p] = rho_f * e.scale_f[p]
                self.key_b[p] = slope * e.scale_f[p]
                heapq.heappush(heap, (self.key_a[p], tie_rank[p], p))

        while True:
            # Bring a fresh value to the top of the queue.
            while heap:
                _, _, p = heap[0]
                if done[p]:
                    heapq.heappop(heap)
                elif evaluated[p] < touched[p]:
                    heapq.heappop(heap)
                    refresh(p)
                else:
                    break
            if not heap:
                break
            best = heap[0][0]
            limit = best * (1 + TOL)
            candidates: list[tuple[float, int, int]] = []
            while heap and heap[0][0] <= limit:
                entry = heapq.heappop(heap)
                p = entry[2]
                if done[p]:
                    continue
                if evaluated[p] < touched[p]:
                    refresh(p)
                    continue
                candidates.append(entry)
            rho: Fraction | None
            if len(candidates) == 1:
                chosen = candidates[0][2]
                rho_f = candidates[0][0] / e.scale_f[chosen]
                rho, poor, denominator, poor_groups = self.exact_rho(chosen, rho_f, now=False)
            else:
                # Near-tie in floating point: decide with exact values, then tie-breaking.
                exact = []
                for key_f, rank, p in candidates:
                    rho_p, poor_p, _, _ = self.exact_rho(p, key_f / e.scale_f[p], now=True)
                    assert rho_p is not None
                    exact.append((rho_p * e.scale_q[p], rank, p, rho_p, poor_p, key_f / e.scale_f[p]))
                exact.sort(key=lambda item: (item[0], item[1]))
                _, _, chosen, rho, poor, rho_f = exact[0]
                denominator, poor_groups = 0, np.zeros(0, dtype=np.int64)
                for entry in candidates:
                    if entry[2] != chosen:
                        heapq.heappush(heap, entry)
            rho_slope = self.pay(chosen, rho, rho_f, poor, denominator, poor_groups)
            done[chosen] = True
            # The chosen project must stay the cheapest: compare with every remaining key.
            remaining = np.flatnonzero(~done[e.active_arr]) if self.track else ()
            if len(remaining):
                others = e.active_arr[remaining]
                key_a, key_b = rho_f * e.scale_f[chosen], rho_slope * e.scale_f[chosen]
                rate = self.key_b[others] - key_b
                parallel = (self.key_b[others] == 0.0) & (key_b == 0.0)
                self.limit(
                    np.where(parallel, np.inf, self.key_a[others] - key_a),
                    np.where(parallel, 0.0, rate),
                    np.abs(self.key_a[others]) + abs(key_a),
                    np.abs(self.key_b[others]) + abs(key_b),
                )
            step += 1
            rounds[chosen] = step
            touched[e.neighbours[chosen]] = step

        rounds_all = dict.fromkeys(e.free, 0)
        rounds_all.update(rounds)
        return MESRun(
            per_voter_budget=self.b0,
            selected=[*e.free, *self.funded],
            rounds=rounds_all,
            unaffordable=unaffordable,
            state=self,
            stable_for=self.stable_for,
        )

    def pay(
        self, p: int, rho: Fraction | None, rho_f: float, poor: BoolArray, denominator: int, poor_groups: IntArray
    ) -> float:
        e = self.e
        idx = e.idx[p]
        u = e.util[p]
        price = float(rho) if rho is not None else rho_f
        alive_before = self.alive[idx]
        rich_mask = ~poor
        rich_wu = float(e.wu_f[p][rich_mask].sum())
        rho_slope = self.rho_slope(p, poor & alive_before, rich_wu)
        if not self.track:
            return self.pay_untracked(p, price, poor, rho, denominator, poor_groups)
        # The poor/rich split must hold: rich keep budget >= rho x u, poor stay below.
        uu = 1.0 if u is None else u.astype(np.float64)
        b = self.budget[idx]
        bs = self.slope[idx]
        gap = b - price * uu
        rate = bs - rho_slope * uu
        scale_gap = self.b0_f + price * uu
        scale_rate = np.abs(bs) + np.abs(rho_slope * uu)
        live_poor = poor & alive_before
        if rich_mask.any():
            self.limit(gap[rich_mask], rate[rich_mask], _pick(scale_gap, rich_mask), scale_rate[rich_mask])
        if live_poor.any():
            self.limit(-gap[live_poor], -rate[live_poor], _pick(scale_gap, live_poor), scale_rate[live_poor])
        dead = idx[poor]
        self.budget[dead] = 0.0
        self.slope[dead] = 0.0
        self.alive[dead] = False
        rich = idx[rich_mask]
        payment = price if u is None else price * u[rich_mask]
        self.budget[rich] = np.maximum(self.budget[rich] - payment, 0.0)
        self.slope[rich] = bs[rich_mask] - (rho_slope if u is None else rho_slope * u[rich_mask])
        self.funded.append(p)
        self.round_of[p] = len(self.funded)
        self.rho_f[p] = price
        if rho is None:
            self.deferred[p] = (poor_groups, denominator)
        else:
            self.rho[p] = rho
        return rho_slope

    def pay_untracked(
        self, p: int, price: float, poor: BoolArray, rho: Fraction | None, denominator: int, poor_groups: IntArray
    ) -> float:
        e = self.e
        idx = e.idx[p]
        dead = idx[poor]
        self.budget[dead] = 0.0
        self.alive[dead] = False
        rich_mask = ~poor
        rich = idx[rich_mask]
        u = e.util[p]
        payment = price if u is None else price * u[rich_mask]
        self.budget[rich] = np.maximum(self.budget[rich] - payment, 0.0)
        self.funded.append(p)
        self.round_of[p] = len(self.funded)
        self.rho_f[p] = price
        if rho is None:
            self.deferred[p] = (poor_groups, denominator)
        else:
            self.rho[p] = rho
        return 0.0

    def exact_rhos(self) -> dict[int, Fraction]:
        self.force(len(self.funded) + 1)
        return dict(self.rho)


class _Shadow:
    """Replays a run's funding order with a larger per-voter budget, to prove an interval.

    Why it proves something. Fix the *trace* of a run: for every two co-supported projects,
    which one is funded first, and which projects are never funded (projects that share no
    supporter commute: funding one leaves the other's supporters untouched). Replayed in
    that order with a per-voter budget b, every budget at every step is non-decreasing in b
    and every rho non-increasing: rho is the smallest value at which the supporters'
    ``Σ min(budget, rho × u)`` reaches the cost, which only falls when budgets grow, and
    what a supporter keeps, ``max(budget − rho × u, 0)``, only grows. So with ``lo`` (the
    run's budget) < b < ``hi``, for a project p funded before its co-supported project q:

        key_q(b) >= key_q(hi)  and  key_p(lo) >= key_p(b)    (keys at the same step),

    and ``key_q(hi) > key_p(lo)`` (or equal with q after p in the tie-breaking order) keeps
    q behind p at every b in between; a project never funded and unaffordable at ``hi`` in
    the end is unaffordable below; a project funded at ``lo`` stays affordable above. When
    every co-supported pair passes, the run at every b in [lo, hi] has the same trace, so
    the same funded set (its order, rho and payments may differ: projects without common
    supporters can swap, poor/rich partitions can move — which is what limits
    ``stable_for``). The order between projects with no common supporter is not checked:
    it does not change the set.

    The shadow is floating point with margins: near a boundary it answers "not proved",
    except for the frequent exact tie of two projects nobody is poor for (the key is then
    exactly the cost over the supporters' utility, compared as Fractions).
    """

    MARGIN = 1e-9

    def __init__(self, engine: MESEngine, lo: _Run, hi: Fraction) -> None:
        self.e = engine
        self.lo = lo
        self.hi = _Run(engine, hi, False)
        # Lower bound of each project's current key at ``hi`` (keys only grow during a run).
        self.bound = np.array(
            [
                engine.cost_f[p] / engine.sum_wu[p] * engine.scale_f[p] if engine.sum_wu[p] else np.inf
                for p in range(engine.num_projects)
            ]
        )
        self.fresh = np.zeros(engine.num_projects, dtype=np.bool_)
        self.exact_key: dict[int, Fraction] = {}  # fresh keys at ``hi`` known exactly

    def key_at_hi(self, q: int) -> float | None:
        """Current key of q at ``hi`` (inf: unaffordable), or None when too close to call."""
        e = self.e
        run = self.hi
        idx = e.idx[q]
        b = run.budget[idx]
        available = _dot(e.w_f[q], b)
        cost = e.cost_f[q]
        if abs(available - cost) <= self.MARGIN * (cost + available):
            return None
        if available < cost:
            key = np.inf
        else:
            rho0 = cost / e.sum_wu[q]
            u = e.util[q]
            ratio = b if u is None else b / u
            if float(ratio.min()) >= rho0 * (1 + self.MARGIN):
                # Nobody is poor: the key is exactly cost / utility (× scale).
                self.exact_key[q] = e.cost_q[q] / e.sum_wu[q] * e.scale_q[q]
                key = rho0 * e.scale_f[q]
            else:
                self.exact_key.pop(q, None)
                rho_f, _, _ = run.evaluate(q)
                key = rho_f * e.scale_f[q]
        self.bound[q] = key
        self.fresh[q] = True
        return key

    def behind(self, q: int, p: int, key_p: float) -> bool:
        """Is q's key at ``hi`` provably after p's key at ``lo`` (ranks breaking exact ties)?"""
        e = self.e
        if self.bound[q] > key_p * (1 + self.MARGIN):
            return True
        if not self.fresh[q]:
            key = self.key_at_hi(q)
            if key is None:
                return False
            if key > key_p * (1 + self.MARGIN):
                return True
        if q not in self.exact_key or self.bound[q] < key_p * (1 - self.MARGIN):
            return False
        exact_p = self.lo.exact_rhos()[p] * e.scale_q[p]
        return (self.exact_key[q], e.tally.tie_rank[q]) > (exact_p, e.tally.tie_rank[p])

    def holds(self) -> bool:
        e = self.e
        lo = self.lo
        remaining = np.zeros(e.num_projects, dtype=np.bool_)
        remaining[e.active_arr] = True
        for p in lo.funded:
            remaining[p] = False
            key_p = lo.rho_f[p] * e.scale_f[p]
            neighbours = e.neighbours[p]
            for q in neighbours[remaining[neighbours]].tolist():
                if not self.behind(q, p, key_p):
                    return False
            # Fund p at ``hi``: every supporter keeps max(budget − rho × u, 0).
            key = self.key_at_hi(p)
            if key is None or key == np.inf:
                return False
            rho = key / e.scale_f[p]
            idx = e.idx[p]
            u = e.util[p]
            b = self.hi.budget[idx]
            self.hi.budget[idx] = np.maximum(b - (rho if u is None else rho * u), 0.0)
            self.hi.last_rho[p] = rho
            self.fresh[neighbours] = False
        # Never funded at ``lo``: must be unaffordable at ``hi`` at the end.
        return all(self.key_at_hi(q) == np.inf for q in np.flatnonzero(remaining).tolist())


# Above this many (group, project, project) triples, the exact co-support is replaced by
# connected components (see ``_co_support``).
CO_SUPPORT_EXACT_LIMIT = 4_000_000


def _co_support(rows: sparse.csr_matrix) -> list[IntArray]:
    """For each project, the projects sharing a supporter with it, or a superset.

    Exact (a sparse product, whose cost is the sum over ballots of their length squared)
    on small elections; beyond CO_SUPPORT_EXACT_LIMIT, the connected component of the
    project in the ballot-project graph, which contains every co-supported project and is
    computed in linear time (on large electorates, every funded project touches almost
    every other one anyway, unless the ballots are split by district, which the
    components follow).
    """
    num_projects = rows.shape[1]
    lengths = np.diff(rows.indptr)
    if int((lengths * lengths).sum()) <= CO_SUPPORT_EXACT_LIMIT:
        ones = np.ones(len(rows.indices), dtype=np.int32)
        pattern = sparse.csr_matrix((ones, rows.indices, rows.indptr), shape=rows.shape)
        co = (pattern.T @ pattern).tocsr()
        return [co.indices[co.indptr[p] : co.indptr[p + 1]].astype(np.int64) for p in range(num_projects)]
    # Each ballot links its first project to each of its projects: same components.
    nonempty = lengths > 0
    first = np.repeat(rows.indices[rows.indptr[:-1][nonempty]], lengths[nonempty])
    links = sparse.coo_matrix(
        (np.ones(len(first), dtype=np.int64), (first, rows.indices)), shape=(num_projects, num_projects)
    ).tocsr()
    _, project_labels = csgraph.connected_components(links, directed=False)
    members = {
        label: np.flatnonzero(project_labels == label).astype(np.int64) for label in set(project_labels.tolist())
    }
    return [members[label] for label in project_labels.tolist()]


# OpenBLAS spreads a dot product of more than 10,000 entries over threads, which costs
# far more than it saves on these sizes, and much more on a busy machine: long products
# are cut into single-threaded pieces.
_DOT_CHUNK = 8192


def _dot(a: FloatArray, b: FloatArray) -> float:
    n = len(a)
    if n <= _DOT_CHUNK:
        return float(a @ b)
    return float(sum(float(a[i : i + _DOT_CHUNK] @ b[i : i + _DOT_CHUNK]) for i in range(0, n, _DOT_CHUNK)))


def _pick(values: FloatArray | float, mask: BoolArray) -> FloatArray | float:
    return values[mask] if isinstance(values, np.ndarray) else values


# ---------------------------------------------------------------------- the rule


@dataclass
class EqualSharesResult:
    run: MESRun
    runs: int
    completion_steps: list[tuple[int, bool, Fraction]]  # (project, funded, budget left before it)
    # Of ``runs``, those made exactly (the others are batched float runs, :mod:`.mes_screen`).
    exact_runs: int = 0


def equal_shares(
    tally: Tally,
    completion: str | None = "add1-utilitarian",
    *,
    until: Literal["exhaustive", "overspend"] = "exhaustive",
    greedy_fill: bool = True,
) -> EqualSharesResult:
    """MES, optionally with the add1-utilitarian completion (see the module docstring).

    The add1 variants cities used (see :mod:`.official`): ``until="overspend"`` keeps
    raising the per-voter budget past exhaustive outcomes, up to the last one that does
    not overspend (or until every supported project is funded); ``greedy_fill=False``
    leaves out the final greedy pass.
    """

    engine = MESEngine(tally)
    budget = Fraction(tally.budget)
    if tally.num_voters == 0:
        empty = MESRun(per_voter_budget=Fraction(0), selected=[], rounds={})
        return EqualSharesResult(run=empty, runs=0, completion_steps=[])
    b0 = budget / tally.num_voters
    if completion is None:
        return EqualSharesResult(run=engine.run(b0), runs=1, completion_steps=[], exact_runs=1)
    if completion != "add1-utilitarian":
        raise ValueError(f"unknown completion {completion!r}")

    costs = engine.cost_q
    if _screen_fits(engine, b0):
        current, exact_runs, screened = _add1_screened(engine, b0, budget, until)
        return _completed(tally, current, exact_runs + screened, exact_runs, greedy_fill)
    increment = 0
    runs = 0
    previous: MESRun | None = None
    # Skips (see ``MESEngine.same_outcome_up_to``): after a run at b, try to prove that the
    # next ``jump`` budgets give the same funded set (so the same cost, exhaustiveness and
    # "everything funded": the same decision to stop or not, for both ``until``), halving
    # on failure; a proof doubles the next jump. Where the outcome
    # changes at almost every unit, proofs fail: then wait ``backoff`` runs before trying
    # again, doubling the wait after each complete failure.
    jump, wait, backoff = 1, 0, 1
    # A tracked run also proves an interval (``stable_for``) for about twice the cost of a
    # run; worth it while it proves more than one unit: stop after two useless tracked runs
    # in a row, retry every eighth run.
    useless = 0
    while True:
        track = useless < 2 or runs % 8 == 0
        current = engine.run(b0 + increment, track=track)
        runs += 1
        if track:
            useless = useless + 1 if current.stable_for < 2 else 0
        spent = sum((costs[p] for p in current.selected), Fraction(0))
        if spent > budget:
            # B/n never overspends, so there is a previous run.
            assert previous is not None
            if previous.per_voter_budget != b0 + increment - 1:
                # The retained run is the one just below this budget. A skip landed here,
                # so it was not made; its funded set is the previous one (that is what the
                # skip proved), but its order, rho and per-voter budget are its own: make it.
                current = engine.run(b0 + increment - 1)
                runs += 1
                if set(current.selected) != set(previous.selected):
                    raise ArithmeticError("a skipped run differs from the run that proved it")
            else:
                current = previous
            break
        chosen = set(current.selected)
        left = budget - spent
        if until == "overspend":
            if all(p in chosen for p in engine.active):
                break
        elif not any(p not in chosen and costs[p] <= left for p in engine.active):
            break
        previous = current
        # Units proved by the tracked run (0 when untracked), then by shadows.
        affine = max(math.ceil(current.stable_for * (1 - 1e-9)) - 1, 0) if math.isfinite(current.stable_for) else 0
        proved = 0
        if affine >= jump:
            proved = affine
        elif wait:
            wait -= 1
        else:
            attempt = jump
            while attempt > affine and not engine.same_outcome_up_to(current, b0 + increment + attempt):
                attempt //= 2
            if attempt > affine:
                # Grow only when the first attempt was proved; else keep the size that was.
                proved, jump, backoff = attempt, (2 * attempt if attempt == jump else attempt), 1
            else:
                jump, wait, backoff = 1, backoff, min(2 * backoff, 32)
        increment += max(proved, affine) + 1

    return _completed(tally, current, runs, runs, greedy_fill)


def _completed(tally: Tally, current: MESRun, runs: int, exact_runs: int, greedy_fill: bool) -> EqualSharesResult:
    """The retained run, then (unless ``greedy_fill`` is off) the greedy pass on what is left."""
    from .greedy import greedy_pass

    chosen = set(current.selected)
    left = Fraction(tally.budget) - sum((Fraction(tally.costs[p]) for p in current.selected), Fraction(0))
    steps = greedy_pass(tally, (p for p in range(tally.num_projects) if p not in chosen), left) if greedy_fill else []
    return EqualSharesResult(
        run=current,
        runs=runs,
        completion_steps=[(s.project, s.selected, Fraction(s.remaining_budget)) for s in steps],
        exact_runs=exact_runs,
    )


# The batched float screen (:mod:`.mes_screen`) is used for add1 when the election is small
# enough that K runs side by side stay cheap: up to this many (group, project) entries.
# Beyond, a run is dominated by numpy work, not by Python, and the skips do better.
SCREEN_MAX_ENTRIES = 60_000
SCREEN_MAX_PROJECTS = 2_000
# ... and when the per-voter budget is at most this many currency units. With more (forints,
# Budapest: 217,014 per voter, add1 steps through 51,517 units), the outcome changes once in
# hundreds of units and the proved skips of the plain add1 need far fewer runs (474 exact
# runs, 1.2 s, against 2.4 s to screen every unit).
SCREEN_MAX_PER_VOTER = 20_000
# Runs per batch: the first batches are small (add1 often stops within a few units), then
# they double up to this size.
SCREEN_FIRST_BATCH = 8
SCREEN_MAX_BATCH = 64


def _screen_fits(engine: MESEngine, b0: Fraction) -> bool:
    return (
        engine.num_projects <= SCREEN_MAX_PROJECTS
        and int(engine.rows.nnz) <= SCREEN_MAX_ENTRIES
        and b0 <= SCREEN_MAX_PER_VOTER
    )


def _add1_screened(
    engine: MESEngine, b0: Fraction, budget: Fraction, until: Literal["exhaustive", "overspend"]
) -> tuple[MESRun, int, int]:
    """add1 with every unit screened by the batched float runs; exact runs where it matters.

    Each unit's funded set comes from the screen, or from an exact run when the screen
    flags it (a decision too close to call in floats). The run returned is always an exact
    run at its own per-voter budget, and must fund the set the screen gave there.
    Returns (the retained run, exact runs made, screened runs).
    """
    from .mes_screen import BatchScreen

    screen = BatchScreen(engine)
    # Free projects cost 0; the screen's own sum of costs counts the others.
    cap = float(budget)
    costs = engine.cost_q
    active = engine.active
    verdicts: dict[bytes, tuple[bool, bool]] = {}  # funded set -> (overspends, stops add1)

    def verdict(chosen: list[int]) -> tuple[bool, bool]:
        spent = sum((costs[p] for p in chosen), Fraction(0))
        if spent > budget:
            return True, True
        funded = set(chosen)
        if until == "overspend":
            return False, all(p in funded for p in active)
        left = budget - spent
        return False, not any(p not in funded and costs[p] <= left for p in active)

    def exact(per_voter: Fraction, expected: list[int] | None) -> MESRun:
        run = engine.run(per_voter)
        if expected is not None and set(run.selected) != set(expected):
            raise ArithmeticError("the float screen and the exact run disagree")
        return run

    runs = screened = 0
    increment, size = 0, SCREEN_FIRST_BATCH
    previous: list[int] | None = None
    previous_run: MESRun | None = None
    while True:
        budgets = [b0 + increment + j for j in range(size)]
        sets, flags, abandoned = screen.run(budgets, cap)
        screened += size - int(abandoned.sum())
        for j, per_voter in enumerate(budgets):
            if abandoned[j]:
                # A run below overspends surely, but the exact run overrode it: go on from here.
                size = j
                break
            row = sets[j]
            run: MESRun | None = None
            if flags[j]:
                run = exact(per_voter, None)
                runs += 1
                chosen = sorted(run.selected)
                row = np.zeros(engine.num_projects, dtype=np.bool_)
                row[chosen] = True
            else:
                chosen = np.flatnonzero(row).tolist()
            signature = row.tobytes()
            if signature not in verdicts:
                verdicts[signature] = verdict(chosen)
            overspends, stops = verdicts[signature]
            if overspends:
                # B/n never overspends, so there is a previous unit; keep its run.
                assert previous is not None
                if previous_run is None:
                    previous_run = exact(per_voter - 1, previous)
                    runs += 1
                return previous_run, runs, screened
            if stops:
                if run is None:
                    run = exact(per_voter, chosen)
                    runs += 1
                return run, runs, screened
            previous, previous_run = chosen, run
        increment += size
        size = min(2 * size, SCREEN_MAX_BATCH)
