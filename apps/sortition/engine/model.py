"""Data types shared by the sortition engine (no Django, no solver)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Numeric tolerance of the engine: LP values closer than this are treated as equal.
EPS = 1e-7


@dataclass(frozen=True)
class PoolIssue:
    """One problem found in an input file; ``line`` is 1-based (the header is line 1)."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file} : {self.message}"
        return f"{self.file}, ligne {self.line} : {self.message}"


class PoolError(ValueError):
    """The pool files cannot be used; ``errors`` lists every problem found (French messages)."""

    def __init__(self, errors: list[PoolIssue]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class QuotaRelaxation:
    """Suggested change of one quota bound so that a panel becomes possible."""

    category: str
    feature: str
    bound: Literal["min", "max"]
    current: int
    suggested: int


class InfeasibleQuotas(ValueError):
    """No panel satisfies the quotas; ``explanation`` holds plain-French sentences."""

    def __init__(self, explanation: list[str], relaxations: list[QuotaRelaxation] | None = None) -> None:
        self.explanation = list(explanation)
        self.relaxations = list(relaxations or [])
        super().__init__("\n".join(self.explanation))


@dataclass(frozen=True)
class Quota:
    """Bounds on the number of panel members having ``feature`` in ``category``."""

    category: str
    feature: str
    min: int
    max: int

    def label(self) -> str:
        return f"{self.category} : {self.feature}"


@dataclass(frozen=True)
class Pool:
    """The people who volunteered and the quotas, as read from the two CSV files.

    ``features[i][c]`` is the value of person ``ids[i]`` in category ``categories[c]``.
    Only stratification columns (and the id) are kept: other personal data never enter here.
    """

    ids: tuple[str, ...]
    categories: tuple[str, ...]
    quotas: tuple[Quota, ...]
    features: tuple[tuple[str, ...], ...]
    people_sha256: str = ""
    categories_sha256: str = ""

    def __len__(self) -> int:
        return len(self.ids)

    def count(self, category: str, feature: str) -> int:
        """Number of pool members with ``feature`` in ``category``."""
        c = self.categories.index(category)
        return sum(1 for row in self.features if row[c] == feature)

    def quota(self, category: str, feature: str) -> Quota:
        for quota in self.quotas:
            if quota.category == category and quota.feature == feature:
                return quota
        raise KeyError((category, feature))

    def features_of(self, category: str) -> tuple[str, ...]:
        """Features of ``category`` in the order of the categories file."""
        return tuple(q.feature for q in self.quotas if q.category == category)


@dataclass(frozen=True)
class Distribution:
    """A lottery over panels and the resulting selection probability of each pool member.

    People with the same feature vector form a *type*: ``types[t]`` is that vector (in the order
    of ``Pool.categories``) and ``type_members[t]`` the sorted ids of its members. A panel is
    described by its *composition*: how many members of each type it takes. ``compositions[j]``
    is drawn with probability ``weights[j]``. For the legacy algorithm the compositions are
    empty and ``probabilities`` are estimates from repeated runs.
    """

    algorithm: Literal["leximin", "legacy"]
    panel_size: int
    compositions: tuple[tuple[int, ...], ...]
    weights: tuple[float, ...]
    types: tuple[tuple[str, ...], ...]
    type_members: tuple[tuple[str, ...], ...]
    probabilities: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    #: Compositions generated while computing the lottery (its support is a subset); 0 if unknown.
    columns: int = 0

    def min_probability(self) -> float:
        return min(self.probabilities.values()) if self.probabilities else 0.0

    def sorted_probabilities(self) -> list[float]:
        return sorted(self.probabilities.values())
