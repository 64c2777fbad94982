"""The restricted dual LP of leximin's column generation (HiGHS, updated in place between solves).

Rows are the known compositions ``C`` (``Σ_t y_t · x_t(C) / size_t ≤ ŷ``), columns the type weights
``y`` and ``ŷ``; row 0 normalises ``y``. ``leximin`` uses it two ways: stage by stage (``fix``), and
for one decomposition of known target levels (``target``).
"""

from __future__ import annotations

import logging
import time

import highspy
import numpy as np
import numpy.typing as npt

from apps.sortition.engine.quotas import TypeTable
from apps.sortition.engine.solver import INF, add_columns, add_row, new_highs, optimal

logger = logging.getLogger(__name__)

#: Dual values above this mark a type as tight (its probability is fixed at the stage's level).
DUAL_TOLERANCE = 1e-7
#: Constraints of the restricted dual this far from binding (and with a zero dual) are dropped.
PURGE_SLACK = 1e-6
#: Simplex iterations of a warm-started master solve before it is restarted from scratch. Warm
#: solves of the bench pools take up to ~850 iterations, a cold one 2,500 on the 1,000 pool.
WARM_ITERATION_LIMIT = 5000
COLD_ITERATION_LIMIT = 2**31 - 1


class RestrictedDual:
    """``minimise ŷ − Σ_{t fixed} level_t · y_t`` over ``Σ_{t not fixed} y_t = 1`` and the known rows."""

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
        #: Work since the last reset (reported at debug level by the caller).
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

    def target(self, levels: npt.NDArray[np.float64]) -> None:
        """Turn the LP into the dual of "reach ``levels`` with the least shortfall d ≥ 0".

        Every type is fixed at its level and row 0 becomes ``Σ_t y_t ≤ 1`` (the dual constraint
        of d), so the optimum is −d: zero exactly when a lottery over the rows reaches the levels.
        """
        for t in range(self.n):
            self.highs.changeColCost(t, -float(levels[t]))
        self.highs.changeRowBounds(0, -INF, 1.0)

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
