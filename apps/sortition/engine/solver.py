"""Thin helpers around HiGHS (highspy): silent, single-threaded, deterministic models."""

from __future__ import annotations

import os
import sys
import threading

import highspy
import numpy as np
import numpy.typing as npt

INF = highspy.kHighsInf
_banner_lock = threading.Lock()
_banner_done = False


def new_highs(*, mip: bool = False) -> highspy.Highs:
    """A silent HiGHS instance (threads=1 so that results do not depend on scheduling).

    HiGHS prints a banner on stdout when the first instance of the process is created, before
    any option can be set; it would corrupt the CLI's JSON output, so it is sent to /dev/null.
    """
    global _banner_done
    with _banner_lock:
        if _banner_done:
            highs = highspy.Highs()
        else:
            sys.stdout.flush()
            saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 1)
                highs = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(devnull)
            _banner_done = True
    for option, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", 0),
        ("primal_feasibility_tolerance", 1e-9),
        ("dual_feasibility_tolerance", 1e-9),
    ):
        highs.setOptionValue(option, value)
    if mip:
        highs.setOptionValue("mip_rel_gap", 1e-9)
        highs.setOptionValue("mip_abs_gap", 1e-10)
        highs.setOptionValue("mip_feasibility_tolerance", 1e-9)
    return highs


def as_int32(values: list[int] | npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
    return np.asarray(values, dtype=np.int32)


def as_float(values: list[float] | npt.NDArray[np.float64] | npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


def optimal(highs: highspy.Highs) -> bool:
    return bool(highs.getModelStatus() == highspy.HighsModelStatus.kOptimal)


def add_columns(
    highs: highspy.Highs,
    costs: npt.NDArray[np.float64],
    lower: npt.NDArray[np.float64],
    upper: npt.NDArray[np.float64],
) -> None:
    """Add columns without matrix entries (rows are added afterwards)."""
    n = len(costs)
    highs.addCols(
        n, as_float(costs), as_float(lower), as_float(upper), 0, as_int32([0] * n), as_int32([]), as_float([])
    )


def add_row(highs: highspy.Highs, lower: float, upper: float, indices: list[int], values: list[float]) -> None:
    highs.addRow(lower, upper, len(indices), as_int32(indices), as_float(values))


def set_integer(highs: highspy.Highs, columns: int) -> None:
    highs.changeColsIntegrality(
        columns, as_int32(list(range(columns))), np.array([highspy.HighsVarType.kInteger] * columns)
    )


#: Variables a dive rounds before each re-solve of the relaxation. One at a time, a dive cost ~50
#: re-solves on the 360 bench pool; four cut pricing there by ~15 % and the 1,000 pool's master
#: iterations by 11 % (its columns were as good), both at the same levels.
DIVE_BATCH = 4

#: Share of the gap between the pricing threshold and the LP bound a column must close to be taken
#: without an exact MIP solve (weaker columns are still proofs of violation, but slow the master).
GOOD_ENOUGH = 0.5


def improve_by_swaps(
    composition: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    sizes: npt.NDArray[np.int64],
    incidence: npt.NDArray[np.int64],
    mins: npt.NDArray[np.int64],
    maxs: npt.NDArray[np.int64],
    max_steps: int = 50,
    lower: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.int64]:
    """Local search: swap one panel member's type for another while it raises ``weights · x``.

    Every step keeps the panel size, the quotas (each swap is checked on the feature counts) and
    the bounds ``lower ≤ x ≤ sizes``, so the result is a valid composition at least as good as
    the start.
    """
    x = composition.copy()
    counts = incidence @ x
    dense = incidence.astype(np.float64)
    floor = np.zeros_like(x) if lower is None else lower
    for _ in range(max_steps):
        removable = np.flatnonzero(x > floor)
        addable = np.flatnonzero(x < sizes)
        gains = weights[addable][None, :] - weights[removable][:, None]
        if not np.any(gains > 1e-12):
            break
        # A swap of a for b moves each feature count by at most one, so it breaks a quota only when
        # b adds a feature already at its max that a does not have, or a removes a feature at its
        # min that b does not have: two small matrix products count the broken quotas.
        full, low = dense[counts >= maxs], dense[counts <= mins]
        broken = (1.0 - full[:, removable]).T @ full[:, addable] + low[:, removable].T @ (1.0 - low[:, addable])
        gains = np.where(broken == 0.0, gains, -np.inf)
        best = np.unravel_index(int(np.argmax(gains)), gains.shape)
        if not gains[best] > 1e-12:
            break
        a, b = int(removable[best[0]]), int(addable[best[1]])
        x[a] -= 1
        x[b] += 1
        counts += incidence[:, b] - incidence[:, a]
    return x


class CompositionMip:
    """Quota-feasible compositions: integer x_t in [lower_t, size_t], sum x = k, quotas per feature.

    Kept alive between calls so that only the objective changes (pricing in column generation).
    The LP relaxation is solved first: it is much cheaper than a MIP solve (whose set-up alone
    costs ~15 ms), its optimum is often integral already, and its value bounds the MIP's.
    """

    def __init__(
        self,
        sizes: npt.NDArray[np.int64],
        incidence: npt.NDArray[np.int64],
        mins: npt.NDArray[np.int64],
        maxs: npt.NDArray[np.int64],
        panel_size: int,
        lower: npt.NDArray[np.int64] | None = None,
    ) -> None:
        self.n = len(sizes)
        self.sizes, self.incidence, self.mins, self.maxs = sizes, incidence, mins, maxs
        self.lower = np.zeros_like(sizes) if lower is None else lower
        self.mip = self._model(sizes, incidence, mins, maxs, panel_size, mip=True)
        self.relaxation = self._model(sizes, incidence, mins, maxs, panel_size, mip=False)
        self.columns = as_int32(list(range(self.n)))

    def _swaps(self, composition: npt.NDArray[np.int64], weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
        return improve_by_swaps(
            composition, weights, self.sizes, self.incidence, self.mins, self.maxs, lower=self.lower
        )

    def _model(
        self,
        sizes: npt.NDArray[np.int64],
        incidence: npt.NDArray[np.int64],
        mins: npt.NDArray[np.int64],
        maxs: npt.NDArray[np.int64],
        panel_size: int,
        *,
        mip: bool,
    ) -> highspy.Highs:
        highs = new_highs(mip=mip)
        add_columns(highs, np.zeros(self.n), as_float(self.lower), as_float(sizes))
        if mip:
            set_integer(highs, self.n)
            highs.setOptionValue("mip_improving_solution_save", True)
        add_row(highs, panel_size, panel_size, list(range(self.n)), [1.0] * self.n)
        for f in range(incidence.shape[0]):
            columns = [int(t) for t in np.flatnonzero(incidence[f])]
            add_row(highs, float(mins[f]), float(maxs[f]), columns, [1.0] * len(columns))
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        return highs

    def _solve(self, highs: highspy.Highs, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64] | None:
        highs.changeColsCost(self.n, self.columns, as_float(weights))
        highs.run()
        if not optimal(highs):
            return None
        return np.asarray(highs.getSolution().col_value[: self.n], dtype=np.float64)

    def maximise(self, weights: npt.NDArray[np.float64], *, above: float | None = None) -> npt.NDArray[np.int64] | None:
        """The composition maximising ``weights · x`` (None when no composition exists).

        With ``above``, None is also returned as soon as the LP bound proves that no composition
        scores more than ``above`` (pricing only needs to know whether one does).
        """
        relaxed = self._solve(self.relaxation, weights)
        if relaxed is None:
            return None
        rounded = np.rint(relaxed)
        if np.all(np.abs(relaxed - rounded) <= 1e-9):
            return rounded.astype(np.int64)
        if above is not None and float(relaxed @ weights) <= above:
            return None
        values = self._solve(self.mip, weights)
        return None if values is None else np.rint(values).astype(np.int64)

    def _dive(self, max_depth: int = 200) -> npt.NDArray[np.int64] | None:
        """A composition found by diving on the LP relaxation (just solved for the same weights).

        Repeatedly rounds the ``DIVE_BATCH`` least fractional variables to their nearest integers
        (by bound changes) and re-solves the warm-started relaxation until it is integral: ~30 ms
        where HiGHS' MIP root costs ~150 ms, and on the bench pools it closes 80–100 % of the gap
        to the bound. None when a rounding makes the relaxation infeasible (the MIP then decides).
        The bounds are restored.
        """
        highs = self.relaxation
        changed: set[int] = set()
        lower, upper = self.lower.astype(np.float64), self.sizes.astype(np.float64)
        found: npt.NDArray[np.int64] | None = None
        try:
            for _ in range(max_depth):
                values = np.asarray(highs.getSolution().col_value[: self.n], dtype=np.float64)
                distance = np.abs(values - np.rint(values))
                fractional = np.flatnonzero(distance > 1e-9)
                if len(fractional) == 0:
                    found = np.rint(values).astype(np.int64)
                    break
                for index in fractional[np.argsort(distance[fractional], kind="stable")[:DIVE_BATCH]]:
                    j = int(index)
                    if values[j] < np.rint(values[j]):
                        lower[j] = np.ceil(values[j])
                    else:
                        upper[j] = np.floor(values[j])
                    highs.changeColBounds(j, float(lower[j]), float(upper[j]))
                    changed.add(j)
                highs.run()
                if not optimal(highs):
                    break
        finally:
            for j in changed:
                highs.changeColBounds(j, float(self.lower[j]), float(self.sizes[j]))
        return found

    def improving(
        self, weights: npt.NDArray[np.float64], above: float, starts: list[npt.NDArray[np.int64]] | None = None
    ) -> list[npt.NDArray[np.int64]]:
        """Compositions scoring more than ``above``; an empty list proves that none exists.

        Column generation needs *good* columns, not the best one, and several per call save
        master solves. In order: the LP relaxation (its bound may already prove that none exists,
        and its optimum is sometimes integral); a local search by swaps from each of ``starts``
        (known compositions), which usually finds improving columns in a millisecond or two;
        a dive on the relaxation (``_dive``), polished by the same local search; then the MIP,
        stopped at its first incumbent beating ``above`` (HiGHS' objective target: its root
        costs ~150 ms where proving optimality costs ~230 ms), each improving incumbent polished
        by the local search. When no incumbent beats
        ``above`` the MIP runs to optimality, so an empty list is exact.
        """
        relaxed = self._solve(self.relaxation, weights)
        if relaxed is None:
            return []
        bound = float(relaxed @ weights)
        rounded = np.rint(relaxed)
        if np.all(np.abs(relaxed - rounded) <= 1e-9):
            return [rounded.astype(np.int64)] if bound > above else []
        if bound <= above:
            return []
        # Columns that beat ``above`` by a hair make many master rounds on large panels: a column
        # is good enough when it closes at least GOOD_ENOUGH of the gap to the relaxation's bound.
        good_enough = above + GOOD_ENOUGH * (bound - above)
        found_locally: dict[tuple[int, ...], npt.NDArray[np.int64]] = {}
        best_local = -INF
        for start in starts or []:
            local = self._swaps(start, weights)
            value = float(local @ weights)
            if value > above:
                found_locally.setdefault(tuple(int(v) for v in local), local)
                best_local = max(best_local, value)
        if found_locally and best_local >= good_enough:
            return list(found_locally.values())
        dived = self._dive()
        if dived is not None:
            dived = self._swaps(dived, weights)
            value = float(dived @ weights)
            if value > above:
                found_locally.setdefault(tuple(int(v) for v in dived), dived)
                if value >= good_enough:
                    return list(found_locally.values())
        self.mip.changeColsCost(self.n, self.columns, as_float(weights))
        self.mip.setOptionValue("objective_target", good_enough)
        try:
            self.mip.run()
        finally:
            self.mip.setOptionValue("objective_target", -INF)
        status = self.mip.getModelStatus()
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kObjectiveTarget):
            raise RuntimeError("HiGHS n'a pas résolu le problème de recherche de panel")
        found = [np.asarray(self.mip.getSolution().col_value[: self.n], dtype=np.float64)]
        found += [np.asarray(saved.col_value[: self.n], dtype=np.float64) for saved in self.mip.getSavedMipSolutions()]
        compositions: dict[tuple[int, ...], npt.NDArray[np.int64]] = {}
        for values in found:
            composition = np.rint(values).astype(np.int64)
            composition = self._swaps(composition, weights)
            if float(composition @ weights) > above:
                compositions.setdefault(tuple(int(v) for v in composition), composition)
        if not compositions and status != highspy.HighsModelStatus.kOptimal:
            # Stopped on the target by an incumbent that does not beat ``above`` after rounding:
            # only an optimal solve can prove that nothing does.
            best = self.maximise(weights)
            if best is not None and float(best @ weights) > above:
                return [best]
        return list(compositions.values())
