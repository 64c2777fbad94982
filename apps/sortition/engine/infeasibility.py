"""Explaining infeasible quotas in plain French, with suggested relaxations.

Two levels of checks:

1. per category (cheap, and the most common mistakes): the minimums add up to more than the
   panel, the maximums to less, a minimum above the number of volunteers with that value, or a
   category that cannot be filled within its maximums;
2. across categories: a MIP over types with a slack on every quota bound finds the smallest total
   relaxation that makes a panel possible; a deletion filter then isolates each minimal set of
   conflicting bounds (e.g. "women ≥ 15" and "16-29 years old ≤ 3" in a pool of young women) so
   that the explanation names them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Literal

import highspy
import numpy as np

from apps.sortition.engine.model import InfeasibleQuotas, Pool, Quota, QuotaRelaxation
from apps.sortition.engine.quotas import TypeTable, build_types
from apps.sortition.engine.solver import INF, add_columns, add_row, new_highs, optimal, set_integer

#: Conflicts explained one by one, at most this many (the structured relaxation covers all).
MAX_CONFLICTS = 5


def _people(n: int) -> str:
    return f"{n} personne" if n == 1 else f"{n} personnes"


def _bound_label(quota: Quota, bound: Literal["min", "max"]) -> str:
    if bound == "min":
        return f"« {quota.category} : {quota.feature} ≥ {quota.min} »"
    return f"« {quota.category} : {quota.feature} ≤ {quota.max} »"


def _category_problems(pool: Pool, panel_size: int) -> tuple[list[str], list[QuotaRelaxation]]:
    sentences: list[str] = []
    relaxations: list[QuotaRelaxation] = []
    if panel_size <= 0:
        return [f"La taille du panel doit être positive (reçu : {panel_size})."], []
    if len(pool.ids) < panel_size:
        sentences.append(
            f"Le panel compte {_people(panel_size)} mais le vivier n'en contient que {len(pool.ids)} : "
            "il faut plus de personnes dans la liste ou un panel plus petit."
        )
    by_category: dict[str, list[Quota]] = defaultdict(list)
    for quota in pool.quotas:
        by_category[quota.category].append(quota)
    for category, quotas in by_category.items():
        available = {q.feature: pool.count(category, q.feature) for q in quotas}
        for quota in quotas:
            if quota.min > available[quota.feature]:
                gap = quota.min - available[quota.feature]
                sentences.append(
                    f"Impossible de respecter {_bound_label(quota, 'min')} : le vivier ne compte que "
                    f"{_people(available[quota.feature])} avec cette valeur ; il en manque {gap}, "
                    f"baisser ce minimum à {available[quota.feature]}."
                )
                relaxations.append(QuotaRelaxation(category, quota.feature, "min", quota.min, available[quota.feature]))
        low = sum(q.min for q in quotas)
        high = sum(q.max for q in quotas)
        reachable = sum(min(q.max, available[q.feature]) for q in quotas)
        if low > panel_size:
            sentences.append(
                f"Catégorie « {category} » : la somme des minimums ({low}) dépasse la taille du panel "
                f"({panel_size}) de {low - panel_size} ; baisser des minimums de {low - panel_size} au total."
            )
            excess = low - panel_size
            for quota in sorted(quotas, key=lambda q: -q.min):
                cut = min(excess, quota.min)
                if cut:
                    relaxations.append(QuotaRelaxation(category, quota.feature, "min", quota.min, quota.min - cut))
                    excess -= cut
        elif high < panel_size:
            sentences.append(
                f"Catégorie « {category} » : la somme des maximums ({high}) est inférieure à la taille du panel "
                f"({panel_size}) de {panel_size - high} ; relever des maximums de {panel_size - high} au total."
            )
            relaxations.extend(_raise_maxima(quotas, available, panel_size - high))
        elif reachable < panel_size:
            sentences.append(
                f"Catégorie « {category} » : dans la limite des maximums et des personnes disponibles, on ne "
                f"peut retenir que {_people(reachable)} sur {panel_size} ; relever des maximums de "
                f"{panel_size - reachable} au total."
            )
            relaxations.extend(_raise_maxima(quotas, available, panel_size - reachable))
    return sentences, _merge(relaxations)


def _merge(relaxations: list[QuotaRelaxation]) -> list[QuotaRelaxation]:
    """One relaxation per bound: the largest one asked by the various checks."""
    merged: dict[tuple[str, str, str], QuotaRelaxation] = {}
    for item in relaxations:
        key = (item.category, item.feature, item.bound)
        previous = merged.get(key)
        if previous is None or abs(item.suggested - item.current) > abs(previous.suggested - previous.current):
            merged[key] = item
    return list(merged.values())


def _raise_maxima(quotas: list[Quota], available: dict[str, int], missing: int) -> list[QuotaRelaxation]:
    """Raise maximums where volunteers remain, largest reserves first."""
    relaxations = []
    for quota in sorted(quotas, key=lambda q: -(available[q.feature] - q.max)):
        room = max(available[quota.feature] - quota.max, 0)
        step = min(room, missing)
        if step:
            relaxations.append(QuotaRelaxation(quota.category, quota.feature, "max", quota.max, quota.max + step))
            missing -= step
    return relaxations


@dataclass(frozen=True)
class _Bound:
    index: int  # position in pool.quotas
    bound: Literal["min", "max"]


class _SlackModel:
    """x_t integer in [0, size_t], Σ x = k, and each quota bound with an integer slack ≥ 0.

    Slack columns can be enabled (upper bound ∞) or disabled (0) to test subsets of bounds.
    """

    def __init__(self, table: TypeTable, panel_size: int) -> None:
        self.table = table
        n, f = table.n_types, len(table.quotas)
        self.n, self.f = n, f
        self.highs = new_highs(mip=True)
        total = n + 2 * f  # x, then slack of each min, then slack of each max
        costs = np.concatenate([np.zeros(n), np.ones(2 * f)])
        upper = np.concatenate([table.sizes.astype(np.float64), np.full(2 * f, INF)])
        add_columns(self.highs, costs, np.zeros(total), upper)
        set_integer(self.highs, total)
        add_row(self.highs, panel_size, panel_size, list(range(n)), [1.0] * n)
        for q in range(f):
            members = [int(t) for t in np.flatnonzero(table.incidence[q])]
            ones = [1.0] * len(members)
            add_row(self.highs, float(table.mins[q]), INF, [*members, n + q], [*ones, 1.0])
            add_row(self.highs, -INF, float(table.maxs[q]), [*members, n + f + q], [*ones, -1.0])

    def column(self, bound: _Bound) -> int:
        return self.n + bound.index + (0 if bound.bound == "min" else self.f)

    def relax_only(self, relaxable: set[_Bound], weights: bool = True) -> dict[_Bound, int] | None:
        """Minimal slacks when only ``relaxable`` bounds may move (None: still infeasible)."""
        for q in range(self.f):
            for bound in (_Bound(q, "min"), _Bound(q, "max")):
                upper = INF if bound in relaxable else 0.0
                self.highs.changeColBounds(self.column(bound), 0.0, upper)
                self.highs.changeColCost(self.column(bound), 1.0 if weights else 0.0)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMinimize)
        self.highs.run()
        if not optimal(self.highs):
            return None
        values = self.highs.getSolution().col_value
        return {b: round(values[self.column(b)]) for b in relaxable if round(values[self.column(b)]) > 0}


def _all_bounds(table: TypeTable) -> list[_Bound]:
    """Bounds that can bind: a minimum above 0, a maximum below the number of volunteers."""
    bounds = []
    available = table.incidence @ table.sizes
    for q in range(len(table.quotas)):
        if table.mins[q] > 0:
            bounds.append(_Bound(q, "min"))
        if table.maxs[q] < available[q]:
            bounds.append(_Bound(q, "max"))
    return bounds


def _minimal_conflict(model: _SlackModel, bounds: list[_Bound]) -> list[_Bound]:
    """Deletion filter: a minimal subset of ``bounds`` that no panel can satisfy together."""
    enforced = list(bounds)
    for bound in list(bounds):
        trial = [b for b in enforced if b != bound]
        if model.relax_only(set(_all_bounds(model.table)) - set(trial), weights=False) is None:
            enforced = trial
    return enforced


def _cross_category(pool: Pool, panel_size: int) -> tuple[list[str], list[QuotaRelaxation]]:
    table = build_types(pool)
    model = _SlackModel(table, panel_size)
    bounds = _all_bounds(table)
    best = model.relax_only(set(bounds))
    if best is None or not best:
        return [], []

    def relaxation(quotas: tuple[Quota, ...], bound: _Bound, amount: int) -> QuotaRelaxation:
        quota = quotas[bound.index]
        if bound.bound == "min":
            return QuotaRelaxation(quota.category, quota.feature, "min", quota.min, quota.min - amount)
        return QuotaRelaxation(quota.category, quota.feature, "max", quota.max, quota.max + amount)

    structured = [relaxation(pool.quotas, b, best[b]) for b in sorted(best, key=lambda b: (b.index, b.bound))]
    sentences: list[str] = []
    current = pool
    for _ in range(MAX_CONFLICTS):
        table = build_types(current)
        model = _SlackModel(table, panel_size)
        bounds = _all_bounds(table)
        if model.relax_only(set(), weights=False) is not None:
            break
        conflict = _minimal_conflict(model, bounds)
        amounts: dict[_Bound, int] = {}
        for bound in conflict:
            outside = set(bounds) - set(conflict)
            found = model.relax_only(outside | {bound})
            if found is not None:
                amounts[bound] = found.get(bound, 0)
        sentences.append(_conflict_sentence(current.quotas, conflict, amounts))
        if not amounts:
            break
        fix = min(amounts, key=lambda b: (amounts[b], b.index, b.bound))
        change = relaxation(current.quotas, fix, max(amounts[fix], 1))
        quotas = list(current.quotas)
        old = quotas[fix.index]
        quotas[fix.index] = (
            replace(old, min=change.suggested) if fix.bound == "min" else replace(old, max=change.suggested)
        )
        current = replace(current, quotas=tuple(quotas))
    total = sum(best.values())
    details = ", ".join(
        f"{'baisser' if r.bound == 'min' else 'relever'} « {r.category} : {r.feature} » "
        f"({r.bound} {r.current} → {r.suggested})"
        for r in structured
    )
    sentences.append(f"Assouplissement minimal proposé ({_people(total)} au total) : {details}.")
    return sentences, structured


def _conflict_sentence(quotas: tuple[Quota, ...], conflict: list[_Bound], amounts: dict[_Bound, int]) -> str:
    labels = [_bound_label(quotas[b.index], b.bound) for b in conflict]
    if len(labels) == 1:
        head = f"Impossible de respecter {labels[0]}"
    else:
        head = f"Impossible de respecter à la fois {', '.join(labels[:-1])} et {labels[-1]}"
    if not amounts:
        return head + "."
    gap = min(amounts.values())
    if len(set(amounts.values())) == 1 and len(amounts) == len(conflict):
        which = "ce quota" if len(conflict) == 1 else "l'un de ces quotas"
        return f"{head} : il manque {_people(gap)} ; assouplir {which} de {gap}."
    options = " ou ".join(f"{_bound_label(quotas[b.index], b.bound)} de {amounts[b]}" for b in conflict if b in amounts)
    return f"{head} : il manque au moins {_people(gap)} ; assouplir {options}."


def check_quotas(pool: Pool, panel_size: int) -> None:
    """Raise ``InfeasibleQuotas`` when no panel of ``panel_size`` meets the quotas.

    The exception carries French sentences naming the conflicting quotas and by how much they
    must move, and ``relaxations``: a smallest set of bound changes making a panel possible.
    """
    sentences, relaxations = _category_problems(pool, panel_size)
    if sentences:
        raise InfeasibleQuotas(sentences, relaxations)
    sentences, relaxations = _cross_category(pool, panel_size)
    if sentences:
        raise InfeasibleQuotas(sentences, relaxations)
