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


class CompositionMip:
    """Quota-feasible compositions: integer x_t in [0, size_t], sum x = k, quotas per feature.

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
    ) -> None:
        self.n = len(sizes)
        self.mip = self._model(sizes, incidence, mins, maxs, panel_size, mip=True)
        self.relaxation = self._model(sizes, incidence, mins, maxs, panel_size, mip=False)
        self.columns = as_int32(list(range(self.n)))

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
        add_columns(highs, np.zeros(self.n), np.zeros(self.n), as_float(sizes))
        if mip:
            set_integer(highs, self.n)
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
