"""Data types of the counting library: projects, ballots, elections and outcomes.

Plain dataclasses, no Django. Amounts (costs, budget) are ``int`` when integral, which is
the case of every real file we know, and ``fractions.Fraction`` otherwise ("5000.5"), so
that counting is exact either way.

Ballots, by vote type:

- ``approval``: ``frozenset[str]`` of project ids;
- ``cumulative`` and ``scoring``: :class:`Points`, an immutable mapping project id → points;
- ``ordinal``: ``tuple[str, ...]`` of project ids, most preferred first.

A :class:`Profile` stores one ballot per voter but interns identical ballots (one object
shared by all voters who cast it), and :meth:`Profile.grouped` gives the aggregated view
(distinct ballot, multiplicity) that the counting rules work on: 500,000 ballots cost a
few megabytes of references, and a rule touches each distinct ballot once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, overload

VoteType = Literal["approval", "cumulative", "scoring", "ordinal"]
VOTE_TYPES: tuple[str, ...] = ("approval", "cumulative", "scoring", "ordinal")

Amount = int | Fraction


def as_amount(value: int | Fraction) -> Amount:
    """An int when the value is integral, else the Fraction itself."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return value


class Points(Mapping[str, Amount]):
    """An immutable, hashable cumulative/scoring ballot: project id → points.

    Hashable so that identical ballots can be grouped; the order of the items is the
    order of the file, kept for a faithful round-trip.
    """

    __slots__ = ("_hash", "_items")

    def __init__(self, items: Mapping[str, Amount] | Iterable[tuple[str, Amount]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: dict[str, Amount] = {str(k): as_amount(v) for k, v in pairs}
        self._hash: int | None = None

    def __getitem__(self, key: str) -> Amount:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._items.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Points):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self._items == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Points({self._items!r})"


Ballot = frozenset[str] | Points | tuple[str, ...]


class Profile(Sequence[Ballot]):
    """The ballots of an election, one per voter, with optional voter ids and extra columns.

    ``voter_meta`` holds, per voter, the columns of the VOTES section other than
    ``voter_id``, ``vote`` and ``points`` (kept for the round-trip, ignored by the rules).
    """

    def __init__(
        self,
        ballots: Iterable[Ballot],
        voter_ids: Sequence[str] | None = None,
        voter_meta: Sequence[Mapping[str, str]] | None = None,
    ) -> None:
        interned: dict[Ballot, Ballot] = {}
        # Interning: voters who cast the same ballot share one object.
        self._ballots: tuple[Ballot, ...] = tuple(interned.setdefault(b, b) for b in ballots)
        self.voter_ids: tuple[str, ...] | None = tuple(voter_ids) if voter_ids is not None else None
        self.voter_meta: tuple[Mapping[str, str], ...] | None = tuple(voter_meta) if voter_meta is not None else None
        if self.voter_ids is not None and len(self.voter_ids) != len(self._ballots):
            raise ValueError("voter_ids and ballots differ in length")
        if self.voter_meta is not None and len(self.voter_meta) != len(self._ballots):
            raise ValueError("voter_meta and ballots differ in length")
        self._grouped: tuple[tuple[Ballot, int], ...] | None = None

    @classmethod
    def from_groups(cls, groups: Iterable[tuple[Ballot, int]]) -> Profile:
        """Build a profile from (ballot, multiplicity) pairs (no voter ids)."""
        ballots: list[Ballot] = []
        for ballot, count in groups:
            ballots.extend([ballot] * count)
        return cls(ballots)

    @overload
    def __getitem__(self, index: int) -> Ballot: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Ballot]: ...
    def __getitem__(self, index: int | slice) -> Ballot | Sequence[Ballot]:
        return self._ballots[index]

    def __len__(self) -> int:
        return len(self._ballots)

    def __iter__(self) -> Iterator[Ballot]:
        return iter(self._ballots)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return (
            self._ballots == other._ballots
            and self.voter_ids == other.voter_ids
            and _meta_or_empty(self) == _meta_or_empty(other)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Profile: {len(self)} ballots, {len(self.grouped())} distinct>"

    def grouped(self) -> tuple[tuple[Ballot, int], ...]:
        """Distinct ballots with their multiplicity, in order of first appearance."""
        if self._grouped is None:
            counts: dict[Ballot, int] = {}
            for ballot in self._ballots:
                counts[ballot] = counts.get(ballot, 0) + 1
            self._grouped = tuple(counts.items())
        return self._grouped


def _meta_or_empty(profile: Profile) -> tuple[Mapping[str, str], ...]:
    if profile.voter_meta is None:
        return tuple({} for _ in range(len(profile)))
    return tuple(dict(m) for m in profile.voter_meta)


@dataclass(frozen=True)
class Project:
    id: str
    cost: Amount
    name: str = ""
    # Other columns of the PROJECTS section (category, votes, selected, ...), as strings.
    extra: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Election:
    projects: tuple[Project, ...]
    ballots: Profile
    budget: Amount
    vote_type: VoteType = "approval"
    meta: dict[str, str] = field(default_factory=dict, hash=False)
    # Quirks of the file the reader tolerated (``read_pabulib(..., lenient=True)``).
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def project(self, project_id: str) -> Project:
        for project in self.projects:
            if project.id == project_id:
                return project
        raise KeyError(project_id)

    @property
    def num_voters(self) -> int:
        return len(self.ballots)


_NUMERIC_ID = re.compile(r"[0-9]+\Z")


def tie_break_keys(projects: Sequence[Project]) -> list[tuple[Amount, int | str]]:
    """The tie-breaking key of each project: lower cost first, then lower id.

    Ids compare as integers when every id of the election is a decimal number
    ("9" before "10"), else as strings.
    """
    numeric = all(_NUMERIC_ID.match(p.id) for p in projects)
    return [(p.cost, int(p.id) if numeric else p.id) for p in projects]


@dataclass
class ProjectExplanation:
    """Why a project won or lost, for the results page.

    ``reason_code``:

    - ``selected``: funded by the rule itself (greedy pass, or a round of Equal Shares);
    - ``selected_in_completion``: funded by the completion (greedy pass after Equal Shares);
    - ``not_affordable``: greedy reached it when its cost exceeded the remaining budget;
    - ``supporters_budget_exhausted``: Equal Shares could not fund it, its supporters had
      ``supporters_budget_left`` < cost; with a completion it then did not fit the
      remaining budget either (``remaining_budget_when_considered``);
    - ``no_votes``: nobody voted for it (never funded);
    - ``below_threshold`` (official greedy-threshold): its score is below the declared
      minimum (``min_project_score_threshold``);
    - ``after_stop`` (official greedy-no-skip): the count stopped at an earlier project
      that did not fit, before reaching this one.

    Equal Shares fields: ``rho`` is the exact price per unit of utility of the round in
    which the project was funded (a Fraction as a string: with approval ballots the
    utility of a project is its cost, so a supporter pays at most ``rho × cost``, given in
    ``max_payment``); ``round`` is the round (1-based) in which it was funded.
    """

    project_id: str
    selected: bool
    votes: Amount
    cost: Amount
    reason_code: str
    remaining_budget_when_considered: Amount | None = None
    rho: str | None = None
    max_payment: float | None = None
    supporters_count: int = 0
    supporters_budget_left: float | None = None
    round: int | None = None


@dataclass
class Outcome:
    selected: tuple[str, ...]
    cost: Amount
    rule: str
    explanations: dict[str, ProjectExplanation]
    seconds: float = 0.0
    completion: str | None = None
    # Equal Shares: the per-voter budget of the retained run (a Fraction as a string) and
    # the number of runs made by the completion, and how many of them were exact (the
    # others are batched floating-point runs that screen the add1 units).
    per_voter_budget: str | None = None
    runs: int = 0
    exact_runs: int = 0
    # ``--rule official``: the variant applied (see :mod:`.official`), what the count
    # noticed in the data, and the ties that decided a winner.
    variant: str | None = None
    warnings: list[str] = field(default_factory=list)
    ties: list[str] = field(default_factory=list)
