"""Fidelity to Polis' own groups on the real openData conversations of the shared benchmark data
(``/work/shared/bench-data/polis``, CC BY 4.0): the issue's bar is an adjusted Rand index ≥ 0.9
against Polis' ``group-id`` on the participants both place. Measured by
``bench/bench_polis_fidelity.py``; the best of its figures per conversation is guarded here from
regressions, and the 0.9 bar is asserted for every conversation: those where it is not reached
are strict expected failures, listed with the figure reached (they fail the suite the day they
pass, to be promoted). canadian-electoral-reform and scoop-hivemind.biodiversity reach it fresh
(votes and comments alone) since statements moderated out after votes are counted as Polis counts
them (``VoteMatrix.withdrawn``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.consultations.opinion.synthetic import adjusted_rand_index
from apps.consultations.polis_csv import read_participants_votes
from apps.consultations.polis_fidelity import fidelity

DATA = Path("/work/shared/bench-data/polis")
TARGET = 0.9

# conversation: (import Polis' in-conversation set, Polis' k-means start only, import Polis' count
# of groups, ARI measured). Importing is for imported conversations only (state Polis carries from
# run to run, as our live map does); the fresh figure is in NOT_REACHED and bench/README.md.
BEST = {
    "brexit-consensus": (False, False, True, 0.876),
    "canadian-electoral-reform": (False, False, False, 0.930),
    "football-concussions": (True, False, True, 0.592),
    "scoop-hivemind.biodiversity": (False, False, False, 0.931),
}
NOT_REACHED = {
    "brexit-consensus": (
        "0.876 with Polis' count of groups imported (0.652 fresh): no statement moderated out, so Polis' rule "
        "on them is not in play; at two groups 6 to 7 of 197 participants, all near the boundary, are in the "
        "other group. Polis' own start on the final votes finds three groups (silhouettes 0.41 against 0.40 "
        "for two), as ours does fresh. Polis' k-means caps (21 group steps, 101 base steps, last assignment "
        "kept, 0.01 convergence) move none of them: the side they fall on comes from Polis' base clusters "
        "carried since 2017"
    ),
    "football-concussions": (
        "0.592 with Polis' in-conversation set and count of groups imported (0.208 fresh): Polis' export "
        "places 1,434 participants, 852 with fewer than 7 votes, from a state built since 2015 under earlier "
        "rules; its two groups (1,281 and 153) are not a k-means optimum of today's votes. Its 19 participants "
        "who voted only on withdrawn statements (Polis: at the centre, in group 0) give 0.594 when placed, "
        "but lower the imported figure (0.425 to 0.410), so they are not"
    ),
}


def _conversation(name: str) -> Path:
    directory = DATA / name
    if not (directory / "participants-votes.csv").exists():
        pytest.skip(f"shared benchmark data absent: {directory}")
    return directory


@pytest.mark.parametrize("name", sorted(BEST))
def test_fidelity_does_not_regress(name: str) -> None:
    import_placed, polis_start, import_count, measured = BEST[name]
    result = fidelity(
        _conversation(name), import_placed=import_placed, polis_start=polis_start, import_count=import_count
    )
    assert result.ari >= measured - 0.005
    assert result.common > 0


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_REACHED[name]))
        if name in NOT_REACHED
        else name
        for name in sorted(BEST)
    ],
)
def test_same_groups_as_polis(name: str) -> None:
    import_placed, polis_start, import_count, _measured = BEST[name]
    result = fidelity(
        _conversation(name), import_placed=import_placed, polis_start=polis_start, import_count=import_count
    )
    assert result.ari >= TARGET


def test_the_command_gives_polis_groups() -> None:
    """The issue's deliverable end to end: ``opinion_map`` on the exported CSVs alone, fresh, gives
    the groups Polis shows (canadian-electoral-reform: 22 statements moderated out after votes)."""
    directory = _conversation("canadian-electoral-reform")
    with (directory / "participants-votes.csv").open(encoding="utf-8", newline="") as handle:
        polis = read_participants_votes(handle).group_ids
    out = io.StringIO()
    call_command(
        "opinion_map", comments=directory / "comments.csv", votes=directory / "votes.csv", json=True, stdout=out
    )
    found = {voter: index for index, group in enumerate(json.loads(out.getvalue())["groups"]) for voter in group}
    assert set(found) == set(polis)  # the same 281 participants in the conversation
    common = sorted(found)
    assert adjusted_rand_index([polis[v] for v in common], [found[v] for v in common]) >= TARGET  # measured 0.930
