"""Sortition engine: fair stratified selection of citizen panels.

Pure Python + numpy + HiGHS (highspy); no Django import, so that anyone can re-run a draw with
``python -m apps.sortition.engine.verify``. Typical use::

    pool = read_pool("respondents.csv", "categories.csv")
    check_quotas(pool, 30)                      # raises InfeasibleQuotas (French explanation)
    distribution = leximin(pool, 30)            # Flanigan et al., Nature 2021
    panel = draw_panel(distribution, seed="tirage du 12/05 : 04 17 22 31 45")
    report = audit_report(pool, distribution, panel, seed, pseudonymise=...)
    assert verify_report(report, pool) == []
"""

from __future__ import annotations

from apps.sortition.engine.draw import draw_alternates, draw_panel
from apps.sortition.engine.infeasibility import check_quotas
from apps.sortition.engine.legacy import legacy
from apps.sortition.engine.leximin import leximin
from apps.sortition.engine.model import (
    Distribution,
    InfeasibleQuotas,
    Pool,
    PoolError,
    PoolIssue,
    Quota,
    QuotaRelaxation,
)
from apps.sortition.engine.pool import read_pool
from apps.sortition.engine.quotas import achieved_counts
from apps.sortition.engine.report import audit_report, verify_report
from apps.sortition.engine.version import __version__

__all__ = [
    "Distribution",
    "InfeasibleQuotas",
    "Pool",
    "PoolError",
    "PoolIssue",
    "Quota",
    "QuotaRelaxation",
    "__version__",
    "achieved_counts",
    "audit_report",
    "check_quotas",
    "draw_alternates",
    "draw_panel",
    "legacy",
    "leximin",
    "read_pool",
    "verify_report",
]
