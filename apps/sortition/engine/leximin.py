"""Leximin selection probabilities (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 2021).

The leximin distribution over quota-satisfying panels maximises the smallest selection
probability of any pool member, then the second smallest, and so on. Pool members with the same
feature vector (a *type*) are interchangeable, and the leximin probability vector is unique, so
they get equal probabilities: we work with compositions ``x`` (``x_t`` members of type ``t``)
and the probability of a member of type ``t`` under a lottery ``λ`` is
``Σ_C λ_C x_t(C) / size_t``.

Fast path (``relaxation.py``): leximin over the LP relaxation of the compositions gives target
levels in milliseconds, which are an upper bound (lexicographically) on the true ones. One column
generation then looks for a lottery reaching them (``RestrictedDual.target``: least shortfall). If
it reaches them, they are the leximin levels (nothing can beat an upper bound that is reached).

Exact fallback, when no lottery reaches them: each leximin stage solves, by column generation,
the dual of "maximise z such that every not-yet-fixed type has probability ≥ z and every fixed
type keeps its level":

    minimise ŷ − Σ_{t fixed} level_t · y_t
    subject to Σ_{t not fixed} y_t = 1,   Σ_t y_t · x_t(C) / size_t ≤ ŷ  for every known C,   y ≥ 0.

Pricing (both paths) finds compositions violating the last constraint, a small MIP over types
(``max Σ_t y_t / size_t · x_t`` under the quotas). When none is violated, the optimum z* is the
dual objective, and by complementary slackness every type with y_t > 0 has probability exactly
z* in every optimal lottery: those types are fixed and the next stage starts. A final LP over
the generated compositions recovers the lottery itself.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import numpy.typing as npt

from apps.sortition.engine.infeasibility import check_quotas
from apps.sortition.engine.lottery import make_distribution
from apps.sortition.engine.master import DUAL_TOLERANCE, RestrictedDual
from apps.sortition.engine.model import Distribution, Pool
from apps.sortition.engine.quotas import TypeTable, build_types
from apps.sortition.engine.relaxation import AVERAGE_TOLERANCE, Relaxed, relaxed_leximin
from apps.sortition.engine.solver import INF, CompositionMip, add_columns, add_row, new_highs, optimal

logger = logging.getLogger(__name__)

#: A column improves the restricted dual when it beats ŷ by more than this.
PRICING_TOLERANCE = 1e-9
#: If LP round-off makes a later stage infeasible, the fixed levels are lowered by this much.
LEVEL_BACKOFF = 1e-9
#: Pricing first tries a local search from this many known compositions (the best-scoring ones).
LOCAL_SEARCH_STARTS = 10
#: Weights below this are dropped from the final lottery (then the weights are renormalised).
WEIGHT_FLOOR = 1e-9
#: The fast path stops as soon as its lottery is this close to every target level (round-off)...
EXACT_SHORTFALL = 1e-12
#: ...and when no composition improves it any more, accepts a lottery this close (LP tolerances).
SHORTFALL_TOLERANCE = 1e-9


class _Known:
    """Compositions generated so far (the final lottery's candidates), fed to a master LP."""

    def __init__(self, master: RestrictedDual, n_types: int) -> None:
        self.master = master
        self.columns: list[npt.NDArray[np.int64]] = []
        self.keys: set[tuple[int, ...]] = set()
        self.matrix = np.zeros((64, n_types), dtype=np.int64)  # columns as rows, grown by doubling

    def add(self, composition: npt.NDArray[np.int64]) -> bool:
        """Remember ``composition``; True when its constraint was new to the master LP."""
        key = tuple(int(v) for v in composition)
        if key not in self.keys:
            self.keys.add(key)
            if len(self.columns) == len(self.matrix):
                self.matrix = np.vstack([self.matrix, np.zeros_like(self.matrix)])
            self.matrix[len(self.columns)] = composition
            self.columns.append(composition)
        return self.master.add_composition(key, composition)

    def starts(self, prices: npt.NDArray[np.float64]) -> list[npt.NDArray[np.int64]]:
        """The known compositions closest to violating the cap: starts of pricing's local search."""
        scores = self.matrix[: len(self.columns)] @ prices
        return [self.columns[int(j)] for j in np.argsort(-scores, kind="stable")[:LOCAL_SEARCH_STARTS]]


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
    relaxed = relaxed_leximin(table, panel_size)
    columns = None if relaxed is None else _reach(table, panel_size, relaxed, start, time_limit)
    if relaxed is not None and columns is not None:
        levels = relaxed.levels
    else:
        columns, levels = _by_stages(table, panel_size, start, time_limit)
    weights = _final_lottery(table, columns, levels)
    seconds = time.perf_counter() - start
    return make_distribution(table, panel_size, columns, weights, "leximin", seconds, generated=len(columns))


def _reach(
    table: TypeTable, panel_size: int, relaxed: Relaxed, start: float, time_limit: float | None
) -> list[npt.NDArray[np.int64]] | None:
    """Compositions of a lottery reaching the relaxed levels, or None when none is found.

    Column generation on the least-shortfall LP, pricing only in the relaxation's face (where the
    panels of any optimal lottery lie). None when pricing proves that no composition of the face
    lowers the shortfall any more while it is still above the tolerance: the relaxed levels are
    then out of reach (or the face is off by round-off), and the caller uses the exact method.
    """
    face = relaxed.face
    pricing = CompositionMip(face.upper, table.incidence, face.mins, face.maxs, panel_size, lower=face.lower)
    master = RestrictedDual(table)
    master.target(relaxed.levels)
    known = _Known(master, table.n_types)
    first = pricing.maximise(master.inverse_sizes)
    if first is None:  # the face holds no composition: round-off
        logger.debug("relaxed leximin: empty face, stage-by-stage method")
        return None
    known.add(first)
    pricing_seconds = 0.0
    while True:
        _check_time(start, time_limit)
        solved = master.solve()
        if solved is None:
            return None
        y, cap, objective = solved
        shortfall = -objective
        if shortfall <= EXACT_SHORTFALL:
            break
        prices = y * master.inverse_sizes
        priced = time.process_time()
        candidates = pricing.improving(prices, cap + PRICING_TOLERANCE, known.starts(prices))
        pricing_seconds += time.process_time() - priced
        if not sum(known.add(candidate) for candidate in candidates):
            if shortfall > SHORTFALL_TOLERANCE:
                logger.debug("relaxed leximin out of reach (shortfall %.1e): stage-by-stage method", shortfall)
                return None
            break
    logger.debug(
        "relaxed leximin reached: %d relaxed stages, face pins %d type(s) and %d quota(s); "
        "%d master solves (%d simplex iterations, %.2f s CPU), %d rows, pricing %.2f s CPU, shortfall %.1e",
        relaxed.stages,
        int(np.count_nonzero(face.lower == face.upper)),
        int(np.count_nonzero(face.mins == face.maxs)),
        master.solves,
        master.iterations,
        master.seconds,
        len(master.rows),
        pricing_seconds,
        shortfall,
    )
    return known.columns


def _by_stages(
    table: TypeTable, panel_size: int, start: float, time_limit: float | None
) -> tuple[list[npt.NDArray[np.int64]], npt.NDArray[np.float64]]:
    """The exact stage-by-stage method: compositions generated and the leximin level of each type."""
    pricing = CompositionMip(table.sizes, table.incidence, table.mins, table.maxs, panel_size)
    stages = RestrictedDual(table)
    known = _Known(stages, table.n_types)
    first = pricing.maximise(stages.inverse_sizes)
    if first is None:  # check_quotas already proved feasibility; this is a solver failure
        raise RuntimeError("HiGHS n'a trouvé aucun panel respectant les quotas")
    known.add(first)

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
        priced = time.process_time()
        candidates = pricing.improving(prices, cap + PRICING_TOLERANCE, known.starts(prices))
        pricing_seconds += time.process_time() - priced
        if sum(known.add(candidate) for candidate in candidates):
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
            len(known.columns),
        )
        stage += 1
        stages.solves, stages.iterations, stages.seconds, pricing_seconds = 0, 0, 0.0, 0.0
        stages.purge()
        for t in tight:
            levels[t] = level
            stages.fix(t, level)

    return known.columns, levels
