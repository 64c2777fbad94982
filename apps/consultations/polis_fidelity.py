"""How close our opinion map comes to Polis' own on a conversation exported by Polis (openData
``comments.csv``, ``votes.csv``, ``participants-votes.csv``): the adjusted Rand index of the two
groupings on the participants both place. Used by ``bench/bench_polis_fidelity.py`` and its test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from apps.consultations.opinion import PreviousMap, compute_map
from apps.consultations.opinion.clusters import GroupCount
from apps.consultations.opinion.synthetic import adjusted_rand_index
from apps.consultations.polis_csv import read_comments, read_participants_votes, read_votes


@dataclass(frozen=True)
class Fidelity:
    ari: float
    common: int  # participants both place
    polis_placed: int
    groups: int
    polis_groups: int


def fidelity(
    directory: Path, *, import_placed: bool = False, polis_start: bool = False, import_count: bool = False
) -> Fidelity:
    """``import_placed``: start from Polis' in-conversation set (once in, always in);
    ``import_count``: from its count of groups (its k smoother keeps a count until another has been
    best 4 runs in a row). Both are state Polis carries from run to run, and so does our live map
    (``map_state``: placed set, count of groups, centres): an imported conversation may keep them."""
    with (directory / "comments.csv").open(encoding="utf-8", newline="") as handle:
        comments = read_comments(handle)
    with (directory / "votes.csv").open(encoding="utf-8", newline="") as handle:
        votes = read_votes(handle)
    with (directory / "participants-votes.csv").open(encoding="utf-8", newline="") as handle:
        exported = read_participants_votes(handle)
    matrix = votes.matrix(comments)
    previous = None
    if import_placed or import_count:
        placed = np.array(sorted(exported.group_ids), dtype=np.int64) if import_placed else None
        k = len(set(exported.group_ids.values()))
        count = GroupCount(current=k, candidate=k, streak=0) if import_count else None
        previous = PreviousMap(np.zeros((2, 0)), np.zeros(0, dtype=np.int64), None, count, placed)
    opinion = compute_map(matrix, previous=previous, polis_start=polis_start)
    ours = dict(zip(matrix.participant_ids.tolist(), opinion.groups.tolist(), strict=True))
    common = sorted(p for p, g in ours.items() if g >= 0 and p in exported.group_ids)
    return Fidelity(
        ari=adjusted_rand_index([exported.group_ids[p] for p in common], [ours[p] for p in common]),
        common=len(common),
        polis_placed=len(exported.group_ids),
        groups=opinion.n_groups,
        polis_groups=len(set(exported.group_ids.values())),
    )
