"""Verifiable seeded draw of the panel and of replacement members.

The procedure is described for residents in ``apps.sortition.engine.verify``. Everything here
is integer arithmetic on SHA-256 digests, so the draw gives the same panel on any machine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import highspy
import numpy as np

from apps.sortition.engine.model import Distribution, InfeasibleQuotas, Pool
from apps.sortition.engine.quotas import TypeTable, build_types, quota_violations
from apps.sortition.engine.solver import INF, add_columns, add_row, new_highs, optimal, set_integer

#: Weights enter the draw as whole numbers of 10⁻¹² (exact, and identical on every machine).
WEIGHT_UNIT = 10**12


def integer_weights(distribution: Distribution) -> list[int]:
    return [round(w * WEIGHT_UNIT) for w in distribution.weights]


def canonical_description(distribution: Distribution) -> str:
    """The JSON text hashed with the seed: types, their sizes, compositions and integer weights."""
    description = {
        "panel_size": distribution.panel_size,
        "types": [list(t) for t in distribution.types],
        "sizes": [len(m) for m in distribution.type_members],
        "compositions": [list(c) for c in distribution.compositions],
        "weights": integer_weights(distribution),
    }
    return json.dumps(description, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def person_key(seed: str, person: str) -> str:
    """Order of the members of a type in the draw: SHA-256 of "<seed>\\n<id>" (then the id)."""
    return hashlib.sha256(f"{seed}\n{person}".encode()).hexdigest()


def seeded_order(seed: str, people: Sequence[str]) -> list[str]:
    return sorted(people, key=lambda person: (person_key(seed, person), person))


def composition_index(distribution: Distribution, seed: str) -> int:
    """Which composition the seed picks: SHA-256 number modulo the total weight, then cumulative weights."""
    weights = integer_weights(distribution)
    total = sum(weights)
    if not distribution.compositions or total <= 0:
        raise ValueError("La distribution ne contient aucun panel : tirage impossible.")
    digest = hashlib.sha256(f"{seed}\n{canonical_description(distribution)}".encode()).hexdigest()
    ticket = int(digest, 16) % total
    cumulative = 0
    for index, weight in enumerate(weights):
        cumulative += weight
        if ticket < cumulative:
            return index
    raise AssertionError("unreachable: ticket < total")


def draw_panel(distribution: Distribution, seed: str) -> tuple[str, ...]:
    """Sorted ids of the panel drawn from ``distribution`` with the public ``seed`` (deterministic)."""
    composition = distribution.compositions[composition_index(distribution, seed)]
    panel: list[str] = []
    for count, members in zip(composition, distribution.type_members, strict=True):
        panel.extend(seeded_order(seed, members)[:count])
    return tuple(sorted(panel))


def draw_alternates(pool: Pool, panel: Sequence[str], declined: Sequence[str], seed: str) -> dict[str, str]:
    """Map each declined id to a replacement id, keeping all quotas satisfied.

    A declined member is replaced, when possible, by a member of the same type (same answers in
    every category) not yet on the panel: the next one in the seeded order of the draw. The
    others are replaced together by solving a small MIP choosing replacement types that keep
    every quota and change the per-feature counts of the panel as little as possible; within a
    type, members again come in seeded order. Deterministic given the seed.
    Raises ``InfeasibleQuotas`` (French) when no replacement keeps the quotas.
    """
    members = set(panel)
    unknown = [d for d in declined if d not in members]
    if unknown:
        raise ValueError("Ces personnes ne font pas partie du panel : " + ", ".join(sorted(unknown)))
    table = build_types(pool)
    type_of = {person: t for t, group in enumerate(table.members) for person in group}
    taken = members | set(declined)
    queues = [[p for p in seeded_order(seed, group) if p not in taken] for group in table.members]
    replacements: dict[str, str] = {}
    unmatched: list[str] = []
    for person in sorted(set(declined)):
        queue = queues[type_of[person]]
        if queue:
            replacements[person] = queue.pop(0)
        else:
            unmatched.append(person)
    if unmatched:
        replacements.update(_replace_by_mip(pool, table, panel, replacements, unmatched, queues, type_of))
    new_panel = [p for p in panel if p not in replacements] + list(replacements.values())
    if quota_violations(pool, new_panel):  # defensive: the MIP guarantees it
        raise InfeasibleQuotas(["Le remplacement proposé ne respecte pas les quotas."])
    return replacements


def _replace_by_mip(
    pool: Pool,
    table: TypeTable,
    panel: Sequence[str],
    done: dict[str, str],
    unmatched: list[str],
    queues: list[list[str]],
    type_of: dict[str, int],
) -> dict[str, str]:
    n, f = table.n_types, len(table.quotas)
    kept = np.zeros(n, dtype=np.int64)
    leaving = set(unmatched)
    for person in panel:
        if person not in leaving:
            kept[type_of[done.get(person, person)]] += 1
    original = table.incidence @ np.bincount([type_of[p] for p in panel], minlength=n)
    base = table.incidence @ kept
    # Columns: r_t (replacements of type t), then the deviation d_f ≥ |counts_f − original_f|.
    highs = new_highs(mip=True)
    costs = np.concatenate([np.zeros(n), np.ones(f)])
    upper = np.concatenate([np.array([len(q) for q in queues], dtype=np.float64), np.full(f, INF)])
    add_columns(highs, costs, np.zeros(n + f), upper)
    set_integer(highs, n)
    add_row(highs, len(unmatched), len(unmatched), list(range(n)), [1.0] * n)
    for q in range(f):
        support = [int(t) for t in np.flatnonzero(table.incidence[q])]
        ones = [1.0] * len(support)
        add_row(highs, float(table.mins[q] - base[q]), float(table.maxs[q] - base[q]), support, ones)
        shift = float(original[q] - base[q])
        add_row(highs, -INF, shift, [*support, n + q], [*ones, -1.0])
        add_row(highs, shift, INF, [*support, n + q], [*ones, 1.0])
    highs.changeObjectiveSense(highspy.ObjSense.kMinimize)
    highs.run()
    if not optimal(highs):
        names = ", ".join(unmatched)
        raise InfeasibleQuotas(
            [
                f"Impossible de remplacer {names} en respectant les quotas : il ne reste pas assez de "
                "personnes ayant les caractéristiques nécessaires dans la liste."
            ]
        )
    counts = np.rint(np.asarray(highs.getSolution().col_value[:n])).astype(np.int64)
    chosen_types = [t for t in range(n) for _ in range(int(counts[t]))]
    # Give each declined person the chosen type sharing most of their features (ties: type order).
    result: dict[str, str] = {}
    for person in unmatched:
        own = table.types[type_of[person]]
        best = max(chosen_types, key=lambda t: (sum(a == b for a, b in zip(table.types[t], own, strict=True)), -t))
        chosen_types.remove(best)
        result[person] = queues[best].pop(0)
    return result
