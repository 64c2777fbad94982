"""What a stored map carries over to the next recomputation (Polis' incremental behaviour): the
statements it was computed on, the principal components, the base-cluster centres, the groups'
centres for each count tried, the count of groups with its hysteresis, and the participants
placed in the conversation (once in, always in).

The placed set is personal data (who took part): ``personal_data.anonymise`` drops the whole
state of a map the deleted person was placed on. A state that no longer fits the votes is not
reused: the map is then computed from scratch (see ``previous_map``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from apps.consultations.opinion import OpinionMap, PreviousMap, VoteMatrix
from apps.consultations.opinion.clusters import GroupCount

# Bumped when the state's shape changes: an older state is then ignored (one full computation).
STATE_VERSION = 1


def state_of(opinion: OpinionMap, *, started_from: str = "") -> dict[str, Any]:
    """The JSON kept with the stored map for the next recomputation. ``started_from`` says
    whether this computation reused the previous state ("previous") or why not (for operators
    and tests)."""
    count = opinion.group_count
    return {
        "version": STATE_VERSION,
        "started_from": started_from,
        "statements": [int(pk) for pk in opinion.matrix.statement_ids],
        "components": opinion.components.tolist(),
        "base_centers": None if opinion.base_centers is None else opinion.base_centers.tolist(),
        "group_centers": {str(k): c.tolist() for k, c in (opinion.group_centers or {}).items()},
        "group_count": None
        if count is None
        else {"current": count.current, "candidate": count.candidate, "streak": count.streak},
        "placed": [int(pk) for pk in opinion.matrix.participant_ids[opinion.in_conversation]],
    }


def previous_map(state: dict[str, Any], matrix: VoteMatrix) -> tuple[PreviousMap | None, str]:
    """The engine's starting point from a stored state, or None with the reason it no longer fits:
    a statement it was computed on has left the conversation (moderated out, deleted), or a
    participant it placed has no vote left (account deleted). New statements and new participants
    fit: the components start at 0 on a new statement, as Polis does."""
    if not state:
        return None, "no state"
    if state.get("version") != STATE_VERSION:
        return None, "state version"
    statements = np.asarray(state["statements"], dtype=np.int64)
    if not len(statements):
        return None, "no statements"
    if not np.isin(statements, matrix.statement_ids).all():
        return None, "statements removed"
    placed = np.asarray(state["placed"], dtype=np.int64)
    if not np.isin(placed, matrix.participant_ids).all():
        return None, "participants removed"
    components = np.asarray(state["components"], dtype=np.float64).reshape(-1, len(statements))
    base = state.get("base_centers")
    count = state.get("group_count")
    order = np.argsort(statements, kind="stable")  # the engine aligns components by sorted ids
    return (
        PreviousMap(
            components=components[:, order],
            statement_ids=statements[order],
            base_centers=None if base is None else np.asarray(base, dtype=np.float64).reshape(-1, 2),
            group_count=None
            if count is None
            else GroupCount(int(count["current"]), int(count["candidate"]), int(count["streak"])),
            in_conversation=placed,
            group_centers={
                int(k): np.asarray(c, dtype=np.float64).reshape(-1, 2)
                for k, c in state.get("group_centers", {}).items()
            },
        ),
        "previous",
    )
