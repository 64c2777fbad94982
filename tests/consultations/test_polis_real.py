"""A real Polis conversation (openData, CC BY 4.0: see data/polis-15-per-hour-seattle/README.md).

What is asserted matches exactly: the participants Polis placed in groups are the ones this
engine counts "in the conversation" (138 of 337), and the groups are Polis' own (ARI 1.0, two
groups). Until the 23 statements moderated out after votes were counted as Polis counts them
(their columns kept, zeroed: ``VoteMatrix.withdrawn``) this engine found five groups here (ARI
0.28).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from apps.consultations.opinion import VoteMatrix, compute_map
from apps.consultations.opinion.synthetic import adjusted_rand_index
from apps.consultations.polis_csv import read_participants_votes

DATA = Path(__file__).parent / "data" / "polis-15-per-hour-seattle" / "participants-votes.csv"
# comments.csv of this conversation: moderated = -1
MODERATED_OUT = {13, 14, 15, 16, 17, 19, 21, 22, 23, 27, 30, 31, 33, 35, 37, 38, 40, 41, 42, 47, 49, 50, 52}


def test_real_conversation_places_the_same_participants_as_polis() -> None:
    with DATA.open(encoding="utf-8", newline="") as handle:
        exported = read_participants_votes(handle)
    full = exported.matrix
    kept = np.array([s for s in full.statement_ids if int(s) not in MODERATED_OUT])
    matrix = VoteMatrix.from_votes(
        full.participant_ids[full.rows], full.statement_ids[full.cols], full.values, statement_ids=kept
    )
    assert matrix.shape == (337, 31)
    opinion = compute_map(matrix)
    ours = dict(zip(matrix.participant_ids.tolist(), opinion.groups.tolist(), strict=True))
    placed = {p for p, g in ours.items() if g >= 0}
    assert placed == set(exported.group_ids) and len(placed) == 138
    common = sorted(placed)
    agreement = adjusted_rand_index([exported.group_ids[p] for p in common], [ours[p] for p in common])
    assert matrix.withdrawn == len(MODERATED_OUT)
    assert opinion.n_groups == 2
    assert agreement >= 0.9  # measured 1.0
