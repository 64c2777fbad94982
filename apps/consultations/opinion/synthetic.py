"""Conversations with planted opinion groups, for the benchmark, the demo and the tests, and the
adjusted Rand index to check that the map finds the groups again.

Shaped after real conversations: most participants vote on a handful of statements and a few on
many (log-normal counts), and early statements are seen far more often than late ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from apps.consultations.opinion.matrix import VoteMatrix, distinct


@dataclass(frozen=True)
class Planted:
    matrix: VoteMatrix
    groups: NDArray[np.int64]  # per participant id (index = id), the planted group
    stances: NDArray[np.int64]  # groups × statements: 1 agree, -1 disagree
    consensual: NDArray[np.bool_]  # statements every group agrees with


def planted_conversation(
    *,
    participants: int,
    statements: int,
    votes: int,
    groups: int = 3,
    fidelity: float = 0.85,
    pass_rate: float = 0.1,
    consensus_share: float = 0.1,
    skew: float = 1.0,
    seed: int = 0,
) -> Planted:
    """About ``votes`` votes (a participant votes at most once per statement)."""
    rng = np.random.default_rng(seed)
    membership = rng.integers(groups, size=participants)
    stances = rng.choice(np.array([-1, 1]), size=(groups, statements))
    consensual = rng.random(statements) < consensus_share
    stances[:, consensual] = 1
    counts = rng.lognormal(mean=0.0, sigma=1.0, size=participants)
    counts = np.clip(np.round(counts / counts.sum() * votes), 1, statements).astype(np.int64)
    # Polis shows statements by priority: the first ones are seen by many, the last by few.
    popularity = 1.0 / np.arange(1, statements + 1) ** skew
    popularity /= popularity.sum()
    voters = np.repeat(np.arange(participants), counts)
    chosen = rng.choice(statements, size=len(voters), p=popularity)
    # Drawing a statement twice for one person merges two votes: top up (a few rounds) to reach
    # the target.
    for _ in range(6):
        pairs = distinct(voters * statements + chosen)
        voters, chosen = pairs // statements, pairs % statements
        missing = votes - len(voters)
        if missing <= 0:
            break
        extra = rng.choice(participants, size=int(missing * 1.1), p=counts / counts.sum())
        voters = np.concatenate([voters, extra])
        chosen = np.concatenate([chosen, rng.choice(statements, size=len(extra), p=popularity)])
    order = rng.permutation(len(voters))
    voters, chosen = voters[order], chosen[order]
    stance = stances[membership[voters], chosen]
    draw = rng.random(len(voters))
    cast = np.where(draw < pass_rate, 0, np.where(draw < pass_rate + fidelity * (1 - pass_rate), stance, -stance))
    matrix = VoteMatrix.from_votes(voters, chosen, cast, statement_ids=np.arange(statements))
    return Planted(matrix=matrix, groups=membership.astype(np.int64), stances=stances, consensual=consensual)


def adjusted_rand_index(first: ArrayLike, second: ArrayLike) -> float:
    """Hubert and Arabie's ARI of two labellings of the same items (1 = identical partitions)."""
    a, b = np.asarray(first), np.asarray(second)
    if len(a) != len(b):
        raise ValueError("two labellings of the same items")
    _, a_index = np.unique(a, return_inverse=True)
    _, b_index = np.unique(b, return_inverse=True)
    table = np.zeros((a_index.max(initial=-1) + 1, b_index.max(initial=-1) + 1))
    np.add.at(table, (a_index, b_index), 1)

    def pairs(x: NDArray[np.float64]) -> float:
        return float((x * (x - 1) / 2).sum())

    together = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = len(a) * (len(a) - 1) / 2
    if total == 0:
        return 1.0
    expected = rows * cols / total
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (together - expected) / (maximum - expected)
