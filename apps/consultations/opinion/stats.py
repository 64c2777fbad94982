"""What each group thinks: Polis' representative statements and consensus.

Probabilities carry a +1/+2 prior, ``(na + 1) / (ns + 2)``, so a statement seen by two people is
not "100 % agreed". The tests are one-sided z-tests at 90 % (z > 1.2816): a one-proportion test
against 1/2, and a two-proportion test of a group against everyone else in the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Z_90 = 1.2815515655446004
REPRESENTATIVE_PER_GROUP = 5
# A statement counts for group-aware consensus only when every group has cast this many votes on
# it: otherwise a group of three people who never saw it would decide it.
CONSENSUS_MIN_VOTES = 3


def probability(successes: NDArray[np.float64], seen: NDArray[np.float64]) -> NDArray[np.float64]:
    return (successes + 1.0) / (seen + 2.0)


def proportion_test(successes: NDArray[np.float64], seen: NDArray[np.float64]) -> NDArray[np.float64]:
    """Polis' one-proportion z-test against 1/2, with its pseudo-counts."""
    succ, n = successes + 1.0, seen + 1.0
    return 2.0 * np.sqrt(n) * (succ / n - 0.5)


def two_proportion_test(
    successes_in: NDArray[np.float64],
    successes_out: NDArray[np.float64],
    seen_in: NDArray[np.float64],
    seen_out: NDArray[np.float64],
) -> NDArray[np.float64]:
    """z of "the group's proportion is above the rest's", with Polis' pseudo-counts."""
    s1, s2, n1, n2 = successes_in + 1.0, successes_out + 1.0, seen_in + 1.0, seen_out + 1.0
    p1, p2, pooled = s1 / n1, s2 / n2, (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    return np.divide(p1 - p2, spread, out=np.zeros_like(p1), where=spread > 0)


@dataclass(frozen=True)
class Representative:
    statement: int  # column index in the vote matrix
    agree: bool  # the group agrees (True) or disagrees (False) more than the others
    probability: float  # (na+1)/(ns+2) or (nd+1)/(ns+2) in the group
    probability_z: float
    ratio: float  # against the rest of the conversation
    ratio_z: float
    votes: int  # votes the group cast on it

    @property
    def metric(self) -> float:
        return self.ratio * self.ratio_z * self.probability * self.probability_z


def representative_statements(
    agree: NDArray[np.float64],
    disagree: NDArray[np.float64],
    seen: NDArray[np.float64],
    *,
    per_group: int = REPRESENTATIVE_PER_GROUP,
) -> list[list[Representative]]:
    """``agree``, ``disagree``, ``seen``: groups × statements counts. A statement represents a
    group when the group leans one way (p > 1/2, significant) and more than the rest does
    (significant); the best ``per_group`` by Polis' metric ra·rat·pa·pat, agreements first."""
    total_agree, total_disagree, total_seen = agree.sum(axis=0), disagree.sum(axis=0), seen.sum(axis=0)
    chosen: list[list[Representative]] = []
    for g in range(agree.shape[0]):
        found: list[Representative] = []
        rest_seen = total_seen - seen[g]
        for successes, rest, is_agree in (
            (agree[g], total_agree - agree[g], True),
            (disagree[g], total_disagree - disagree[g], False),
        ):
            p = probability(successes, seen[g])
            pz = proportion_test(successes, seen[g])
            ratio = p / probability(rest, rest_seen)
            rz = two_proportion_test(successes, rest, seen[g], rest_seen)
            significant = (p > 0.5) & (pz > Z_90) & (rz > Z_90)
            for j in np.flatnonzero(significant):
                found.append(
                    Representative(
                        int(j), is_agree, float(p[j]), float(pz[j]), float(ratio[j]), float(rz[j]), int(seen[g, j])
                    )
                )
        found.sort(key=lambda r: (-r.metric, r.statement))
        best = found[:per_group]
        best.sort(key=lambda r: (not r.agree, -r.metric, r.statement))
        chosen.append(best)
    return chosen


@dataclass(frozen=True)
class Consensus:
    """Per statement: group-aware consensus, the product over groups of each group's probability
    (NaN where a group cast fewer than ``min_votes``), and the statements agreed or disagreed on
    by every group, best first."""

    agree_score: NDArray[np.float64]
    disagree_score: NDArray[np.float64]
    agreed: list[int]
    disagreed: list[int]
    divisive: list[int]  # most split between groups first
    spread: NDArray[np.float64]


def consensus(
    agree: NDArray[np.float64],
    disagree: NDArray[np.float64],
    seen: NDArray[np.float64],
    *,
    min_votes: int = CONSENSUS_MIN_VOTES,
) -> Consensus:
    n_statements = agree.shape[1]
    if agree.shape[0] == 0:
        empty = np.full(n_statements, np.nan)
        return Consensus(empty, empty.copy(), [], [], [], empty.copy())
    guarded = (seen >= min_votes).all(axis=0)
    pa, pd = probability(agree, seen), probability(disagree, seen)
    agree_score = np.where(guarded, pa.prod(axis=0), np.nan)
    disagree_score = np.where(guarded, pd.prod(axis=0), np.nan)
    overall_agree_z = proportion_test(agree.sum(axis=0), seen.sum(axis=0))
    overall_disagree_z = proportion_test(disagree.sum(axis=0), seen.sum(axis=0))
    agreed_mask = guarded & (pa > 0.5).all(axis=0) & (overall_agree_z > Z_90)
    disagreed_mask = guarded & (pd > 0.5).all(axis=0) & (overall_disagree_z > Z_90)
    spread = np.where(guarded, pa.max(axis=0) - pa.min(axis=0), np.nan)
    divisive_mask = guarded & (agree.shape[0] > 1) & ~agreed_mask & ~disagreed_mask

    def ranked(mask: NDArray[np.bool_], score: NDArray[np.float64]) -> list[int]:
        return [int(j) for j in sorted(np.flatnonzero(mask), key=lambda j: (-score[j], j))]

    return Consensus(
        agree_score=agree_score,
        disagree_score=disagree_score,
        agreed=ranked(agreed_mask, agree_score),
        disagreed=ranked(disagreed_mask, disagree_score),
        divisive=ranked(divisive_mask & (spread > 0), spread),
        spread=spread,
    )
