"""Compile an election into the arrays the rules work on.

Voters with identical ballots are one *group* with a weight (its multiplicity). The
group × project utilities are a sparse matrix, kept both by rows (a group's projects, used
to recompute a group's exact budget) and by columns (a project's supporters, the hot loop
of Equal Shares).

Utilities (Equal Shares) and scores (greedy), per vote type:

- approval: utility 1 per approved project, scaled by the rule to the project's cost
  ("cost utilities", see :mod:`.equal_shares`); score = number of approvals;
- cumulative / scoring: utility = points; score = total points. Non-integral points are
  multiplied by the least common multiple of their denominators: both rules are
  invariant under a common positive scaling of utilities, and integers keep the exact
  arithmetic in machine integers;
- ordinal: Borda utility, a project at 0-based position i of a ballot of length L gets
  L - 1 - i (the last-ranked project gets 0, as pabutools' ``Additive_Borda_Sat``);
  score = total Borda points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain
from operator import itemgetter

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .profiles import Amount, Election, Points, as_amount, tie_break_keys

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class Tally:
    project_ids: list[str]
    costs: list[Amount]
    budget: Amount
    num_voters: int
    vote_type: str
    weights: IntArray  # (G,) multiplicity of each distinct ballot
    rows: sparse.csr_matrix  # (G, P) integer utilities, zeros dropped
    cols: sparse.csc_matrix  # same matrix by columns
    scores: list[Amount]  # greedy score ("votes") of each project
    supporters: list[int]  # number of voters with a positive utility, per project
    tie_rank: list[int]  # position of each project in the tie-breaking order

    @property
    def num_projects(self) -> int:
        return len(self.project_ids)

    @property
    def cost_utilities(self) -> bool:
        return self.vote_type == "approval"


def compile_election(election: Election) -> Tally:
    project_ids = [p.id for p in election.projects]
    index = {pid: i for i, pid in enumerate(project_ids)}
    groups = election.ballots.grouped()
    num_groups = len(groups)
    # map() and chain() keep these loops in C: 500,000 ballots take well under a second.
    weights = np.fromiter(map(itemgetter(1), groups), dtype=np.int64, count=num_groups)
    ballots = list(map(itemgetter(0), groups))
    lengths = np.fromiter(map(len, ballots), dtype=np.int64, count=num_groups)
    total = int(lengths.sum())
    columns = np.fromiter(map(index.__getitem__, chain.from_iterable(ballots)), dtype=np.int64, count=total)
    raw_values: list[Amount] | None = None
    if election.vote_type == "approval":
        values = np.ones(total, dtype=np.int64)
    elif election.vote_type == "ordinal":
        values = np.fromiter(
            (len(ballot) - 1 - i for ballot, _ in groups for i in range(len(ballot))), dtype=np.int64, count=total
        )
    else:
        raw_values = [points for ballot, _ in groups if isinstance(ballot, Points) for points in ballot.values()]
        scale = 1
        for value in raw_values:
            if isinstance(value, Fraction):
                scale = math.lcm(scale, value.denominator)
        values = np.array([int(v * scale) for v in raw_values], dtype=np.int64)
    indptr = np.zeros(num_groups + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    matrix = sparse.csr_matrix(
        (values.copy(), columns.copy(), indptr), shape=(num_groups, len(project_ids)), dtype=np.int64
    )
    matrix.eliminate_zeros()
    matrix.sort_indices()

    num_projects = len(project_ids)
    scores: list[Amount]
    if raw_values is None:
        # A float bincount is exact here: integer sums far below 2**53.
        per_entry = values * np.repeat(weights, lengths)
        scores = [int(s) for s in np.bincount(columns, weights=per_entry, minlength=num_projects).round()]
    else:
        totals: list[Fraction] = [Fraction(0)] * num_projects
        for ballot, count in groups:
            assert isinstance(ballot, Points)
            for pid, points in ballot.items():
                totals[index[pid]] += points * count
        scores = [as_amount(t) for t in totals]
    support_entries = np.repeat(weights, np.diff(matrix.indptr))
    supporters = np.bincount(matrix.indices, weights=support_entries, minlength=num_projects).round().astype(np.int64)
    keys = tie_break_keys(election.projects)
    order = sorted(range(num_projects), key=lambda i: keys[i])
    tie_rank = [0] * num_projects
    for rank, i in enumerate(order):
        tie_rank[i] = rank
    return Tally(
        project_ids=project_ids,
        costs=[p.cost for p in election.projects],
        budget=election.budget,
        num_voters=len(election.ballots),
        vote_type=election.vote_type,
        weights=weights,
        rows=matrix,
        cols=matrix.tocsc(),
        scores=scores,
        supporters=[int(s) for s in supporters],
        tie_rank=tie_rank,
    )
