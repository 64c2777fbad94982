"""From the votes in the database to the stored map, and from the stored map to what pages show.

The stored JSON keeps only what pages need, by statement pk: per group its size, its
representative statements and its agree/disagree shares on every statement; the statements
everyone agrees or disagrees with and the most divisive; routing weights; and each placed
participant's position (dropped on account deletion, see personal_data)."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from apps.consultations.models import OpinionMapSnapshot, Statement, Vote
from apps.consultations.opinion.compute import compute_map
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


def map_data(matrix: VoteMatrix) -> dict[str, Any]:
    opinion = compute_map(matrix)
    ids = [int(pk) for pk in matrix.statement_ids]
    seen = np.maximum(opinion.seen, 1)
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
        for g in range(opinion.n_groups)
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
            str(int(pk)): [round(float(x), 4), round(float(y), 4), int(g)]
            for pk, (x, y), g in zip(matrix.participant_ids, opinion.positions, opinion.groups, strict=True)
        },
    }


def store_map(conversation_id: int) -> OpinionMapSnapshot:
    matrix, n_votes = vote_matrix(conversation_id)
    data = map_data(matrix)
    with transaction.atomic():
        snapshot, _created = OpinionMapSnapshot.objects.update_or_create(
            conversation_id=conversation_id,
            defaults={"data": data, "votes_counted": n_votes, "computed_at": timezone.now()},
        )
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
