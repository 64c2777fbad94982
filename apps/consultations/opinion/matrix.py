"""The vote matrix: participants × statements, sparse.

A cast vote is 1 (agree), -1 (disagree) or 0 (pass); a statement a participant has not voted on
is *missing*, which is not the same as a pass. SciPy's sparse matrices drop explicit zeros, so
the matrix keeps its entries as coordinate arrays (``rows``, ``cols``, ``values``) and builds the
sparse products it needs from them.

A statement moderated out after it was voted on leaves the matrix, but is counted in
``withdrawn``: Polis keeps its column and sets every cell of it to 0 (``zero-out-columns`` in
polismath's ``named_matrix.clj``), as if everyone had passed on it. Such a column adds nothing
to the components (it is constant), but it enters the projection's scaling (see
``pca.sparsity_aware_projection``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

AGREE = 1
DISAGREE = -1
PASS = 0


def distinct(values: NDArray[np.int64]) -> NDArray[np.int64]:
    """Sorted distinct values. (NumPy 2's ``np.unique`` hashes, and its hash path took 11 s on a
    million keys here; sorting takes 0.1 s.)"""
    ordered = np.sort(values)
    return ordered[np.append(True, ordered[1:] != ordered[:-1])] if len(ordered) else ordered


@dataclass(frozen=True)
class VoteMatrix:
    participant_ids: NDArray[np.int64]
    statement_ids: NDArray[np.int64]
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    values: NDArray[np.int8]
    # Statements voted on, then moderated out (left out of ``statement_ids``): see the module doc.
    withdrawn: int = 0
    # Per participant, the withdrawn statements they had voted on (None: none). Polis counts them
    # in the "in conversation" rule, which it applies to the votes before moderation.
    withdrawn_votes: NDArray[np.int64] | None = None

    @classmethod
    def from_votes(
        cls,
        participants: ArrayLike,
        statements: ArrayLike,
        values: ArrayLike,
        *,
        statement_ids: ArrayLike | None = None,
    ) -> VoteMatrix:
        """One entry per (participant, statement): the last one in the given order wins (a
        participant who changes their mind). ``statement_ids`` lists every statement in the
        conversation, voted on or not; votes on statements outside it are ignored (moderated out),
        and the statements they were cast on are counted in ``withdrawn``."""
        voters = np.asarray(participants, dtype=np.int64)
        voted = np.asarray(statements, dtype=np.int64)
        cast = np.asarray(values, dtype=np.int64)
        if not (voters.shape == voted.shape == cast.shape):
            raise ValueError("participants, statements and values must have the same length")
        if np.any((cast < -1) | (cast > 1)):
            raise ValueError("a vote is -1, 0 or 1")
        columns = distinct(voted if statement_ids is None else np.asarray(statement_ids, dtype=np.int64))
        keep = np.isin(voted, columns)
        withdrawn = len(distinct(voted[~keep]))
        out_voters, out_voted = voters[~keep], voted[~keep]
        voters, voted, cast = voters[keep], voted[keep], cast[keep]
        people = distinct(voters)
        withdrawn_votes = None
        if withdrawn:
            # distinct (participant, withdrawn statement) pairs, counted for the participants who
            # are rows (someone who voted only on withdrawn statements has no position)
            out_statements = distinct(out_voted)
            pairs = distinct(out_voters * len(out_statements) + np.searchsorted(out_statements, out_voted))
            owners = pairs // len(out_statements)
            found = np.searchsorted(people, owners)
            found = np.clip(found, 0, max(len(people) - 1, 0))
            known = (people[found] == owners) if len(people) else np.zeros(len(owners), dtype=bool)
            withdrawn_votes = np.bincount(found[known], minlength=len(people)).astype(np.int64)
        rows = np.searchsorted(people, voters)
        cols = np.searchsorted(columns, voted)
        # Last vote wins: a stable sort keeps each (participant, statement)'s votes in their given
        # order, so the last of each run is the latest. The entries come out in (participant,
        # statement) order whatever the input order.
        key = rows.astype(np.int64) * max(len(columns), 1) + cols
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        last = order[np.append(ordered[1:] != ordered[:-1], True)] if len(order) else order
        return cls(
            participant_ids=people.astype(np.int64),
            statement_ids=columns.astype(np.int64),
            rows=rows[last].astype(np.int64),
            cols=cols[last].astype(np.int64),
            values=cast[last].astype(np.int8),
            withdrawn=withdrawn,
            withdrawn_votes=withdrawn_votes,
        )

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.participant_ids), len(self.statement_ids))

    @property
    def n_votes(self) -> int:
        return len(self.values)

    def votes_per_participant(self) -> NDArray[np.int64]:
        return np.bincount(self.rows, minlength=self.shape[0]).astype(np.int64)

    def indicator(self, value: int | None = None) -> sparse.csr_array:
        """1.0 where the participant cast ``value`` (any vote when None)."""
        mask = np.ones(len(self.values), dtype=bool) if value is None else self.values == value
        data = np.ones(int(mask.sum()), dtype=np.float64)
        return sparse.csr_array((data, (self.rows[mask], self.cols[mask])), shape=self.shape)

    def column_means(self) -> NDArray[np.float64]:
        """Mean of the cast votes of each statement (passes count as 0); 0 for an unvoted one."""
        sums = np.bincount(self.cols, weights=self.values.astype(np.float64), minlength=self.shape[1])
        counts = np.bincount(self.cols, minlength=self.shape[1])
        return np.divide(sums, counts, out=np.zeros(self.shape[1]), where=counts > 0)

    def centered(self, means: NDArray[np.float64]) -> sparse.csr_array:
        """The mean-imputed matrix minus its column means. An imputed cell is the column mean, so
        it centres to exactly 0: the dense imputed matrix never needs to exist."""
        data = self.values.astype(np.float64) - means[self.cols]
        return sparse.csr_array((data, (self.rows, self.cols)), shape=self.shape)
