"""From the votes in the database to the stored map, and from the stored map to what pages show.

The stored JSON keeps only what pages need, by statement pk: per group its size, its
representative statements and its agree/disagree shares on every statement; the statements
everyone agrees or disagrees with and the most divisive; routing weights; and each placed
participant's position (dropped on account deletion, see personal_data). Each recomputation
starts from the previous one's state (``map_state``), as Polis' does: placed participants stay
placed and the k-means start from the last centres, so the groups move a little with a batch of
votes instead of being drawn anew."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from apps.consultations.map_state import previous_map, state_of
from apps.consultations.models import Conversation, OpinionMapSnapshot, Statement, Vote
from apps.consultations.opinion.compute import OpinionMap, compute_map
from apps.consultations.opinion.matrix import VoteMatrix
from apps.consultations.opinion.routing import next_statement, priorities


def vote_matrix(conversation_id: int) -> tuple[VoteMatrix, int]:
    statement_ids = list(
        Statement.objects.filter(conversation_id=conversation_id, status=Statement.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = list(
        Vote.objects.filter(statement__conversation_id=conversation_id).values_list(
            "participant_id", "statement_id", "value"
        )
    )
    people, statements, values = (list(column) for column in zip(*rows, strict=True)) if rows else ([], [], [])
    return VoteMatrix.from_votes(people, statements, values, statement_ids=statement_ids), len(rows)


def stable_labels(opinion: OpinionMap, previous_positions: dict[str, list[Any]]) -> NDArray[np.int64]:
    """The label shown for each of the engine's groups: the label of the previous map's group
    that shares the most of its members (an assignment maximising the people who keep their
    label), so group B stays B when a batch of votes makes it outgrow A. Without a previous map,
    or for a group new to it, the engine's order (by decreasing size) stays."""
    n = opinion.n_groups
    overlap = np.zeros((n, n))
    for pk, g in zip(opinion.matrix.participant_ids, opinion.groups, strict=True):
        place = previous_positions.get(str(int(pk)))
        if g >= 0 and place is not None and 0 <= int(place[2]) < n:
            overlap[g, int(place[2])] += 1
    # Ties (no overlap at all) keep the engine's order.
    rows, columns = linear_sum_assignment(overlap + 1e-6 * np.eye(n), maximize=True)
    labels = np.empty(n, dtype=np.int64)
    labels[rows] = columns
    return labels


def map_data(opinion: OpinionMap, previous_positions: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    matrix = opinion.matrix
    ids = [int(pk) for pk in matrix.statement_ids]
    seen = np.maximum(opinion.seen, 1)
    shown = stable_labels(opinion, previous_positions or {})
    engine_group = np.argsort(shown)  # the engine's group shown under each label
    groups = [
        {
            "size": int((opinion.groups == g).sum()),
            "representative": [
                {"statement": ids[r.statement], "agree": r.agree, "share": round(r.probability, 3)}
                for r in opinion.representative[g]
            ],
            "agree": {str(ids[j]): round(float(opinion.agree[g, j] / seen[g, j]), 3) for j in range(len(ids))},
            "disagree": {str(ids[j]): round(float(opinion.disagree[g, j] / seen[g, j]), 3) for j in range(len(ids))},
            "votes": {str(ids[j]): int(opinion.seen[g, j]) for j in range(len(ids))},
        }
        for g in (int(e) for e in engine_group)
    ]
    weights = priorities(opinion) if len(ids) else np.zeros(0)
    return {
        "participants": int(matrix.shape[0]),
        "groups": groups,
        "agreed": [ids[j] for j in opinion.consensus.agreed],
        "disagreed": [ids[j] for j in opinion.consensus.disagreed],
        "divisive": [ids[j] for j in opinion.consensus.divisive],
        "weights": {str(ids[j]): float(weights[j]) for j in range(len(ids))},
        "positions": {
            str(int(pk)): [round(float(x), 4), round(float(y), 4), int(shown[g]) if g >= 0 else -1]
            for pk, (x, y), g in zip(matrix.participant_ids, opinion.positions, opinion.groups, strict=True)
        },
    }


def lock_conversations(ids: Iterable[int]) -> list[int]:
    """Lock conversation rows in pk order (one order for every caller: no deadlock)."""
    rows = Conversation.objects.select_for_update(no_key=True).filter(pk__in=list(ids)).order_by("pk")
    return list(rows.values_list("pk", flat=True))


def store_map(conversation_id: int, *, incremental: bool = True) -> OpinionMapSnapshot:
    """Recompute and store the map, from the stored state when it still fits (``incremental``).

    Runs under the conversation row's lock (FOR NO KEY UPDATE: votes and statements still come
    in) and reads the votes inside it: two recomputations of one conversation follow each other
    (the second starts from the first's state), and an account deletion, which takes the same
    lock first (``personal_data.anonymise``), either ends before the votes are read or scrubs
    what this computation stored, the very first map of the conversation included."""
    with transaction.atomic():
        lock_conversations([conversation_id])
        snapshot, _created = OpinionMapSnapshot.objects.get_or_create(conversation_id=conversation_id)
        matrix, n_votes = vote_matrix(conversation_id)
        previous, started_from = previous_map(snapshot.state, matrix) if incremental else (None, "asked")
        opinion = compute_map(matrix, previous=previous)
        snapshot.data = map_data(opinion, snapshot.data.get("positions"))
        snapshot.state = state_of(opinion, started_from=started_from)
        snapshot.votes_counted = n_votes
        snapshot.computed_at = timezone.now()
        snapshot.save()
    return snapshot


def next_statement_for(snapshot: OpinionMapSnapshot | None, open_ids: list[int], voted: set[int]) -> int | None:
    """The next published statement to show: drawn by the stored map's routing weights among
    those the person has not voted on (a new statement, absent from the map, weighs most)."""
    if not open_ids:
        return None
    known = snapshot.data.get("weights", {}) if snapshot is not None else {}
    top = max(known.values(), default=1.0)
    weights = np.array([float(known.get(str(pk), top)) for pk in open_ids])
    already = np.array([pk in voted for pk in open_ids], dtype=bool)
    index = next_statement(weights, already, np.random.default_rng())
    return None if index is None else open_ids[index]
