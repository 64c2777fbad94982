"""Leximin selection probabilities (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 2021).

The leximin distribution over quota-satisfying panels maximises the smallest selection
probability of any pool member, then the second smallest, and so on. Pool members with the same
feature vector (a *type*) are interchangeable, and the leximin probability vector is unique, so
they get equal probabilities: we work with compositions ``x`` (``x_t`` members of type ``t``)
and the probability of a member of type ``t`` under a lottery ``λ`` is
``Σ_C λ_C x_t(C) / size_t``.

Each leximin stage solves, by column generation, the dual of "maximise z such that every
not-yet-fixed type has probability ≥ z and every fixed type keeps its level":

    minimise ŷ − Σ_{t fixed} level_t · y_t
    subject to Σ_{t not fixed} y_t = 1,   Σ_t y_t · x_t(C) / size_t ≤ ŷ  for every known C,   y ≥ 0.

Pricing finds the composition violating the last constraint the most, a small MIP over types
(``max Σ_t y_t / size_t · x_t`` under the quotas). When none is violated, the optimum z* is the
dual objective, and by complementary slackness every type with y_t > 0 has probability exactly
z* in every optimal lottery: those types are fixed and the next stage starts. A final LP over
the generated compositions recovers the lottery itself.
"""

from __future__ import annotations

import logging
import time

import highspy
import numpy as np
import numpy.typing as npt

from apps.sortition.engine.infeasibility import check_quotas
from apps.sortition.engine.lottery import make_distribution
from apps.sortition.engine.model import Distribution, Pool
from apps.sortition.engine.quotas import TypeTable, build_types
from apps.sortition.engine.solver import INF, CompositionMip, add_columns, add_row, new_highs, optimal

logger = logging.getLogger(__name__)

#: A column improves the restricted dual when it beats ŷ by more than this.
PRICING_TOLERANCE = 1e-9
#: Dual values above this mark a type as tight (its probability is fixed at the stage's level).
DUAL_TOLERANCE = 1e-7
#: A stage level this close to the average probability left ends the computation.
AVERAGE_TOLERANCE = 1e-9
#: If LP round-off makes a later stage infeasible, the fixed levels are lowered by this much.
LEVEL_BACKOFF = 1e-9
#: Constraints of the restricted dual this far from binding (and with a zero dual) are dropped.
PURGE_SLACK = 1e-6
#: Pricing first tries a local search from this many known compositions (the best-scoring ones).
LOCAL_SEARCH_STARTS = 10
#: Simplex iterations of a warm-started master solve before it is restarted from scratch. Warm
#: solves of the bench pools take up to ~850 iterations, a cold one 2,500 on the 1,000 pool.
WARM_ITERATION_LIMIT = 5000
COLD_ITERATION_LIMIT = 2**31 - 1
#: Weights below this are dropped from the final lottery (then the weights are renormalised).
WEIGHT_FLOOR = 1e-9


class _Stages:
    """The restricted dual LP of the current leximin stage, updated in place between solves."""

    def __init__(self, table: TypeTable) -> None:
        self.table = table
        self.n = table.n_types
        self.inverse_sizes = 1.0 / table.sizes.astype(np.float64)
        self.highs = new_highs()
        # Devex pricing: the default dual steepest edge recomputes its weights after every added
        # row, which cost 40 ms per warm-started solve on a 360-person pool (−35 % master time).
        self.highs.setOptionValue("simplex_dual_edge_weight_strategy", 1)
        # No cost perturbation: on the 1,000/75/5 bench pool, removing the perturbation at the end of
        # a warm dual simplex solve left dual infeasibilities that HiGHS' primal clean-up cycled on
        # (over 30,000 iterations and 15 s where the unperturbed solve takes 137 and 0.1 s).
        self.highs.setOptionValue("dual_simplex_cost_perturbation_multiplier", 0.0)
        costs = np.zeros(self.n + 1)
        costs[self.n] = 1.0  # ŷ
        lower = np.zeros(self.n + 1)
        lower[self.n] = -INF
        add_columns(self.highs, costs, lower, np.full(self.n + 1, INF))
        add_row(self.highs, 1.0, 1.0, list(range(self.n)), [1.0] * self.n)

        #: Compositions whose constraint is in the LP, in row order (row 0 is Σ y = 1).
        self.rows: list[tuple[int, ...]] = []
        self.present: set[tuple[int, ...]] = set()
        #: Work of the current stage (reported at debug level when the stage ends).
        self.solves, self.iterations, self.seconds = 0, 0, 0.0

    def add_composition(self, key: tuple[int, ...], composition: npt.NDArray[np.int64]) -> bool:
        """Add the constraint of ``composition`` unless it is in the LP already."""
        if key in self.present:
            return False
        support = [int(t) for t in np.flatnonzero(composition)]
        values = [float(composition[t] * self.inverse_sizes[t]) for t in support]
        add_row(self.highs, -INF, 0.0, [*support, self.n], [*values, -1.0])
        self.rows.append(key)
        self.present.add(key)
        return True

    def purge(self) -> None:
        """Drop the constraints that are slack at the current optimum (their dual is zero).

        The LP grows by one row per composition and each solve costs time in proportion, while
        only about one row per type is active at a time. Dropping slack rows relaxes the restricted
        problem, which is safe: a stage only ends when pricing proves that no composition at all
        (dropped ones included, they are added back when priced) violates the optimum.
        """
        solution = self.highs.getSolution()
        activity = np.asarray(solution.row_value[1:])
        duals = np.asarray(solution.row_dual[1:])
        slack = np.flatnonzero((activity < -PURGE_SLACK) & (np.abs(duals) <= DUAL_TOLERANCE))
        if len(slack) == 0:
            return
        self.highs.deleteRows(len(slack), (slack + 1).astype(np.int32))
        dropped = {int(j) for j in slack}
        for j in dropped:
            self.present.discard(self.rows[j])
        self.rows = [key for j, key in enumerate(self.rows) if j not in dropped]

    def fix(self, t: int, level: float) -> None:
        self.highs.changeColCost(t, -level)
        self.highs.changeCoeff(0, t, 0.0)

    def solve(self) -> tuple[npt.NDArray[np.float64], float, float] | None:
        """(y, ŷ, objective) of the restricted dual, or None when HiGHS finds no optimum."""
        started = time.process_time()
        self.highs.setOptionValue("simplex_iteration_limit", WARM_ITERATION_LIMIT)
        self.highs.run()
        self.iterations += int(self.highs.getInfo().simplex_iteration_count)
        if self.highs.getModelStatus() == highspy.HighsModelStatus.kIterationLimit:
            # Safety net should a warm start stall again: a cold solve of the same LP takes a few
            # thousand iterations. An iteration count, not a clock, keeps runs deterministic.
            logger.debug("master LP stalled after %d iterations: cold restart", WARM_ITERATION_LIMIT)
            self.highs.clearSolver()
            self.highs.setOptionValue("simplex_iteration_limit", COLD_ITERATION_LIMIT)
            self.highs.run()
            self.iterations += int(self.highs.getInfo().simplex_iteration_count)
        self.seconds += time.process_time() - started
        self.solves += 1
        if not optimal(self.highs):
            return None
        values = np.asarray(self.highs.getSolution().col_value)
        return values[: self.n], float(values[self.n]), float(self.highs.getInfo().objective_function_value)


def _final_lottery(
    table: TypeTable, columns: list[npt.NDArray[np.int64]], levels: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Weights over ``columns`` giving every type at least its leximin level (least shortfall)."""
    highs = new_highs()
    m = len(columns)
    costs = np.zeros(m + 1)
    costs[m] = 1.0  # shortfall d
    add_columns(highs, costs, np.zeros(m + 1), np.full(m + 1, INF))
    add_row(highs, 1.0, 1.0, list(range(m)), [1.0] * m)
    matrix = np.array(columns, dtype=np.float64).T / table.sizes[:, None]
    for t in range(table.n_types):
        support = [int(j) for j in np.flatnonzero(matrix[t])]
        add_row(highs, float(levels[t]), INF, [*support, m], [*(float(matrix[t, j]) for j in support), 1.0])
    highs.run()
    if not optimal(highs):
        raise RuntimeError("HiGHS n'a pas trouvé la loterie finale du leximin")
    weights: npt.NDArray[np.float64] = np.asarray(highs.getSolution().col_value[:m], dtype=np.float64)
    weights[weights < WEIGHT_FLOOR] = 0.0
    normalised: npt.NDArray[np.float64] = weights / weights.sum()
    return normalised


def _check_time(start: float, time_limit: float | None) -> None:
    if time_limit is not None and time.perf_counter() - start > time_limit:
        raise TimeoutError(f"Le calcul leximin a dépassé la limite de {time_limit:g} secondes.")


def leximin(pool: Pool, panel_size: int, *, time_limit: float | None = None) -> Distribution:
    """Distribution over quota-satisfying panels whose sorted probability vector is leximin-optimal.

    Raises ``InfeasibleQuotas`` when no panel meets the quotas and ``TimeoutError`` past
    ``time_limit`` seconds. Deterministic: types are sorted and HiGHS runs single-threaded.
    """
    start = time.perf_counter()
    check_quotas(pool, panel_size)
    table = build_types(pool)
    pricing = CompositionMip(table.sizes, table.incidence, table.mins, table.maxs, panel_size)
    stages = _Stages(table)
    columns: list[npt.NDArray[np.int64]] = []
    known: set[tuple[int, ...]] = set()
    matrix = np.zeros((64, table.n_types), dtype=np.int64)  # columns as rows, grown by doubling

    def add(composition: npt.NDArray[np.int64]) -> bool:
        nonlocal matrix
        key = tuple(int(v) for v in composition)
        if key not in known:
            known.add(key)
            if len(columns) == len(matrix):
                matrix = np.vstack([matrix, np.zeros_like(matrix)])
            matrix[len(columns)] = composition
            columns.append(composition)
        return stages.add_composition(key, composition)

    first = pricing.maximise(stages.inverse_sizes)
    if first is None:  # check_quotas already proved feasibility; this is a solver failure
        raise RuntimeError("HiGHS n'a trouvé aucun panel respectant les quotas")
    add(first)

    levels = np.full(table.n_types, np.nan)
    stage, pricing_seconds = 0, 0.0
    sizes = table.sizes.astype(np.float64)
    while np.isnan(levels).any():
        _check_time(start, time_limit)
        solved = stages.solve()
        for _ in range(3):
            if solved is not None:
                break
            # The levels fixed so far are achievable up to round-off only: give them some slack.
            fixed = np.flatnonzero(~np.isnan(levels))
            levels[fixed] = np.maximum(levels[fixed] - LEVEL_BACKOFF, 0.0)
            for index in fixed:
                stages.fix(int(index), float(levels[index]))
            solved = stages.solve()
        if solved is None:
            raise RuntimeError("HiGHS n'a pas résolu le programme dual du leximin")
        y, cap, objective = solved
        prices = y * stages.inverse_sizes
        # The known compositions closest to violating the cap are the starts of the local search.
        scores = matrix[: len(columns)] @ prices
        starts = [columns[int(j)] for j in np.argsort(-scores, kind="stable")[:LOCAL_SEARCH_STARTS]]
        priced = time.process_time()
        candidates = pricing.improving(prices, cap + PRICING_TOLERANCE, starts)
        pricing_seconds += time.process_time() - priced
        if sum(add(candidate) for candidate in candidates):
            continue
        level = min(max(objective, 0.0), 1.0)
        unfixed = np.flatnonzero(np.isnan(levels))
        tight = [int(t) for t in unfixed if y[t] > DUAL_TOLERANCE] or [int(unfixed[np.argmax(y[unfixed])])]
        # Probabilities always add up to k: when the level reaches the average left for the
        # unfixed types, none can be above it, so they are all fixed now (this saves one stage
        # per type when, as is common, most of the pool ends at the same level).
        fixed = np.flatnonzero(~np.isnan(levels))
        mass_left = panel_size - float(levels[fixed] @ sizes[fixed])
        average = mass_left / float(sizes[unfixed].sum())
        if level >= average - AVERAGE_TOLERANCE:
            tight = [int(t) for t in unfixed]
        if len(tight) == len(unfixed):
            # The last types fixed share the mass left exactly: the average is the exact level,
            # where the LP objective carries the round-off of every fixed level (the last stage of
            # the 1,000/75/5 pool read 0.999998 for a type always selected).
            level = min(max(average, 0.0), 1.0)
        logger.debug(
            "stage %d: level %.6f, %d type(s) fixed, %d master solves (%d simplex iterations, %.2f s CPU), "
            "%d rows, pricing %.2f s CPU, %d panels known",
            stage,
            level,
            len(tight),
            stages.solves,
            stages.iterations,
            stages.seconds,
            len(stages.rows),
            pricing_seconds,
            len(columns),
        )
        stage += 1
        stages.solves, stages.iterations, stages.seconds, pricing_seconds = 0, 0, 0.0, 0.0
        stages.purge()
        for t in tight:
            levels[t] = level
            stages.fix(t, level)

    weights = _final_lottery(table, columns, levels)
    seconds = time.perf_counter() - start
    return make_distribution(table, panel_size, columns, weights, "leximin", seconds, generated=len(columns))
