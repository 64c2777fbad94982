"""Routing: statements with few votes and statements that split the groups come first."""

from __future__ import annotations

import numpy as np

from apps.consultations.opinion import VoteMatrix, compute_map
from apps.consultations.opinion.routing import next_statement, priorities


def _conversation() -> VoteMatrix:
    # 40 people in two camps. Statement 0 splits them, 1 is agreed by all (both seen by all);
    # statement 2 is new (2 votes).
    participants, statements, values = [], [], []
    for person in range(40):
        camp = 1 if person < 20 else -1
        participants += [person, person]
        statements += [0, 1]
        values += [camp, 1]
        for extra in range(3, 9):  # six more statements to place everyone in the conversation
            participants.append(person)
            statements.append(extra)
            values.append(camp if extra % 2 else -camp)
    participants += [0, 39]
    statements += [2, 2]
    values += [1, -1]
    return VoteMatrix.from_votes(participants, statements, values)


def test_new_and_divisive_statements_are_favoured() -> None:
    opinion = compute_map(_conversation())
    weights = priorities(opinion)
    column = {int(s): j for j, s in enumerate(opinion.matrix.statement_ids)}
    assert weights[column[2]] > weights[column[0]] > weights[column[1]]
    assert np.all(weights > 0)


def test_next_statement_is_never_one_already_voted() -> None:
    opinion = compute_map(_conversation())
    weights = priorities(opinion)
    rng = np.random.default_rng(0)
    voted = np.zeros(len(weights), dtype=bool)
    shown = []
    for _ in range(len(weights)):
        choice = next_statement(weights, voted, rng)
        assert choice is not None and not voted[choice]
        voted[choice] = True
        shown.append(choice)
    assert sorted(shown) == list(range(len(weights)))
    assert next_statement(weights, voted, rng) is None
