"""The whole opinion map of a conversation, from its votes (Polis' published method)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from apps.consultations.opinion.clusters import GroupCount, group
from apps.consultations.opinion.matrix import AGREE, DISAGREE, VoteMatrix
from apps.consultations.opinion.pca import power_iteration_pca, sparsity_aware_projection
from apps.consultations.opinion.stats import Consensus, Representative, consensus, representative_statements

# A participant is "in the conversation" (placed in a group) after this many votes, or after
# voting on every statement when there are fewer.
IN_CONVERSATION_VOTES = 7
# Polis' "greedy" rule: while fewer than this many participants are in the conversation, the most
# active voters are placed too, so that a young conversation already has a map.
GREEDY_PARTICIPANTS = 15


@dataclass(frozen=True)
class PreviousMap:
    """What a recomputation reuses: the map moves a little after a batch of votes, not at random."""

    components: NDArray[np.float64]
    statement_ids: NDArray[np.int64]
    base_centers: NDArray[np.float64] | None
    group_count: GroupCount | None
    # Participant ids placed by an earlier computation: in Polis, once in the conversation, always
    # in (a statement moderated out later does not push anyone out of the map).
    in_conversation: NDArray[np.int64] | None = None
    group_centers: dict[int, NDArray[np.float64]] | None = None


@dataclass(frozen=True)
class OpinionMap:
    matrix: VoteMatrix
    means: NDArray[np.float64]
    components: NDArray[np.float64]  # 2 × statements
    positions: NDArray[np.float64]  # participants × 2
    votes: NDArray[np.int64]  # per participant
    in_conversation: NDArray[np.bool_]
    groups: NDArray[np.int64]  # per participant, -1 when not in the conversation
    n_groups: int
    silhouettes: dict[int, float]
    group_count: GroupCount | None
    base_centers: NDArray[np.float64] | None
    group_centers: dict[int, NDArray[np.float64]] | None
    agree: NDArray[np.float64]  # groups × statements counts (in-conversation participants)
    disagree: NDArray[np.float64]
    seen: NDArray[np.float64]
    representative: list[list[Representative]]
    consensus: Consensus

    def previous(self) -> PreviousMap:
        return PreviousMap(
            self.components,
            self.matrix.statement_ids,
            self.base_centers,
            self.group_count,
            self.matrix.participant_ids[self.in_conversation],
            self.group_centers,
        )

    def group_members(self) -> list[NDArray[np.int64]]:
        """Participant ids of each group."""
        return [self.matrix.participant_ids[self.groups == g] for g in range(self.n_groups)]

    def statement_id(self, index: int) -> int:
        return int(self.matrix.statement_ids[index])


def in_conversation_threshold(n_statements: int) -> int:
    return min(IN_CONVERSATION_VOTES, n_statements)


def compute_map(matrix: VoteMatrix, *, previous: PreviousMap | None = None, polis_start: bool = False) -> OpinionMap:
    """``polis_start``: group with Polis' deterministic k-means start only, as Polis does (closer
    to Polis' own groups; by default other starts compete, see ``clusters._best_of_starts``)."""
    n_participants = matrix.shape[0]
    means = matrix.column_means()
    centered = matrix.centered(means)
    start = _aligned_start(previous, matrix.statement_ids) if previous is not None else None
    components = power_iteration_pca(centered, start=start)
    votes = matrix.votes_per_participant()
    positions = sparsity_aware_projection(centered, components, votes, withdrawn=matrix.withdrawn)
    in_conversation = placed_participants(matrix, votes, previous.in_conversation if previous is not None else None)
    groups = np.full(n_participants, -1, dtype=np.int64)
    n_groups, silhouettes, count, base_centers, group_centers = 0, {}, None, None, None
    members = np.flatnonzero(in_conversation)
    if len(members) >= 2:
        grouping = group(
            positions[members],
            previous_base_centers=previous.base_centers if previous is not None else None,
            previous_count=previous.group_count if previous is not None else None,
            previous_group_centers=previous.group_centers if previous is not None else None,
            polis_start=polis_start,
        )
        groups[members] = grouping.labels
        n_groups = int(grouping.labels.max()) + 1
        silhouettes, count, base_centers = grouping.silhouettes, grouping.count, grouping.base_centers
        group_centers = grouping.group_centers
    elif len(members) == 1:
        groups[members] = 0
        n_groups = 1
    agree, disagree, seen = _group_counts(matrix, groups, n_groups)
    return OpinionMap(
        matrix=matrix,
        means=means,
        components=components,
        positions=positions,
        votes=votes,
        in_conversation=in_conversation,
        groups=groups,
        n_groups=n_groups,
        silhouettes=silhouettes,
        group_count=count,
        base_centers=base_centers,
        group_centers=group_centers,
        agree=agree,
        disagree=disagree,
        seen=seen,
        representative=representative_statements(agree, disagree, seen)
        if n_groups > 1
        else [[] for _ in range(n_groups)],
        consensus=consensus(agree, disagree, seen),
    )


def placed_participants(
    matrix: VoteMatrix, votes: NDArray[np.int64], already: NDArray[np.int64] | None = None
) -> NDArray[np.bool_]:
    """Polis' "in conversation" set: whoever was in stays in; whoever has voted on
    min(7, statements) statements comes in; and while fewer than 15 are in, the most active voters
    come in too (ties by participant id: a stable order). As in Polis, the votes are counted before
    moderation: those on withdrawn statements count, and so do these statements in the
    ``min(7, statements)``."""
    n_statements = matrix.shape[1] + matrix.withdrawn
    cast = votes if matrix.withdrawn_votes is None else votes + matrix.withdrawn_votes
    placed = (cast >= max(in_conversation_threshold(n_statements), 1)) & (votes > 0)
    if already is not None and len(already):
        placed |= np.isin(matrix.participant_ids, np.asarray(already, dtype=np.int64))
    if placed.sum() < GREEDY_PARTICIPANTS:
        most_active = np.argsort(-cast, kind="stable")[:GREEDY_PARTICIPANTS]
        placed[most_active[votes[most_active] > 0]] = True
    return placed


def _aligned_start(previous: PreviousMap, statement_ids: NDArray[np.int64]) -> NDArray[np.float64]:
    """The previous components on the current statements (new statements start at 0)."""
    start = np.zeros((previous.components.shape[0], len(statement_ids)))
    position = np.searchsorted(previous.statement_ids, statement_ids)
    position = np.clip(position, 0, max(len(previous.statement_ids) - 1, 0))
    known = (
        (len(previous.statement_ids) > 0) & (previous.statement_ids[position] == statement_ids)
        if len(previous.statement_ids)
        else np.zeros(len(statement_ids), dtype=bool)
    )
    start[:, known] = previous.components[:, position[known]]
    return start


def _group_counts(
    matrix: VoteMatrix, groups: NDArray[np.int64], n_groups: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    placed = np.flatnonzero(groups >= 0)
    membership = sparse.csr_array((np.ones(len(placed)), (groups[placed], placed)), shape=(n_groups, matrix.shape[0]))
    counts = []
    for value in (AGREE, DISAGREE, None):
        counts.append(np.asarray((membership @ matrix.indicator(value)).toarray(), dtype=np.float64))
    return counts[0], counts[1], counts[2]
