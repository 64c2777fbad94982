"""Quota helpers: people grouped into types, the quota matrix, achieved counts.

People with identical feature vectors ("types") are interchangeable for the quotas; every
algorithm of the engine works on types, which makes pools of thousands of people small problems.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from apps.sortition.engine.model import Pool, Quota


@dataclass(frozen=True)
class TypeTable:
    """Types of a pool in canonical (sorted) order and the quota constraints over them.

    ``incidence[f, t]`` is 1 when type ``t`` has the feature of ``quotas[f]``.
    """

    categories: tuple[str, ...]
    quotas: tuple[Quota, ...]
    types: tuple[tuple[str, ...], ...]
    members: tuple[tuple[str, ...], ...]
    sizes: npt.NDArray[np.int64]
    incidence: npt.NDArray[np.int64]
    mins: npt.NDArray[np.int64]
    maxs: npt.NDArray[np.int64]

    @property
    def n_types(self) -> int:
        return len(self.types)

    def counts(self, composition: Sequence[int]) -> npt.NDArray[np.int64]:
        """Number of panel members per quota feature for a composition."""
        return self.incidence @ np.asarray(composition, dtype=np.int64)

    def satisfies(self, composition: Sequence[int], panel_size: int) -> bool:
        x = np.asarray(composition, dtype=np.int64)
        if x.shape != (self.n_types,) or int(x.sum()) != panel_size:
            return False
        if bool(np.any(x < 0)) or bool(np.any(x > self.sizes)):
            return False
        counts = self.incidence @ x
        return bool(np.all(counts >= self.mins) and np.all(counts <= self.maxs))


def build_types(pool: Pool) -> TypeTable:
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for person, vector in zip(pool.ids, pool.features, strict=True):
        groups[vector].append(person)
    types = tuple(sorted(groups))
    members = tuple(tuple(sorted(groups[t])) for t in types)
    position = {c: i for i, c in enumerate(pool.categories)}
    incidence = np.zeros((len(pool.quotas), len(types)), dtype=np.int64)
    for f, quota in enumerate(pool.quotas):
        c = position[quota.category]
        for t, vector in enumerate(types):
            if vector[c] == quota.feature:
                incidence[f, t] = 1
    return TypeTable(
        categories=pool.categories,
        quotas=pool.quotas,
        types=types,
        members=members,
        sizes=np.array([len(m) for m in members], dtype=np.int64),
        incidence=incidence,
        mins=np.array([q.min for q in pool.quotas], dtype=np.int64),
        maxs=np.array([q.max for q in pool.quotas], dtype=np.int64),
    )


def achieved_counts(pool: Pool, panel: Sequence[str]) -> dict[tuple[str, str], int]:
    """Number of panel members per (category, feature) of the quotas (zero included)."""
    index = {person: i for i, person in enumerate(pool.ids)}
    counts = {(q.category, q.feature): 0 for q in pool.quotas}
    for person in panel:
        vector = pool.features[index[person]]
        for c, category in enumerate(pool.categories):
            key = (category, vector[c])
            if key in counts:
                counts[key] += 1
    return counts


def _members(count: int) -> str:
    return f"{count} membre" if count <= 1 else f"{count} membres"


def quota_violations(pool: Pool, panel: Sequence[str]) -> list[str]:
    """French descriptions of the quotas a panel breaks (empty list = all quotas met)."""
    counts = achieved_counts(pool, panel)
    problems = []
    for quota in pool.quotas:
        got = counts[(quota.category, quota.feature)]
        if got < quota.min:
            problems.append(f"« {quota.label()} » : {_members(got)} pour un minimum de {quota.min}")
        elif got > quota.max:
            problems.append(f"« {quota.label()} » : {_members(got)} pour un maximum de {quota.max}")
    return problems
