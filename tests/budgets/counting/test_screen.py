"""The batched float screen of add1 (apps/budgets/counting/mes_screen.py).

Every run the screen does not flag must fund exactly the set of the exact run at the same
per-voter budget; a decision at the exact boundary must be flagged, not guessed.
"""

from __future__ import annotations

import importlib
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given

from apps.budgets.counting import Election, Profile, Project, read_pabulib
from apps.budgets.counting.mes_screen import BatchScreen
from apps.budgets.counting.tally import compile_election
from tests.budgets.counting.test_engine import SETTINGS, VOTE_TYPES
from tests.budgets.counting.test_properties import elections

es = importlib.import_module("apps.budgets.counting.equal_shares")
REAL = Path("/work/shared/bench-data/pabulib")


def unflagged_runs_equal_exact_runs(election: Election, budgets: list[Fraction]) -> int:
    """Check the screen against exact runs at ``budgets``; returns how many were checked."""
    engine = es.MESEngine(compile_election(election))
    sets, flags, abandoned = BatchScreen(engine).run(budgets)
    assert not abandoned.any()  # no cap given
    checked = 0
    for row, flagged, per_voter in zip(sets, flags, budgets, strict=True):
        if flagged:
            continue
        assert set(np.flatnonzero(row).tolist()) == set(engine.run(per_voter).selected), per_voter
        checked += 1
    return checked


@SETTINGS
@given(VOTE_TYPES.flatmap(elections))
def test_screen_funds_the_exact_sets(election: Election) -> None:
    if not election.ballots:
        return
    b0 = Fraction(election.budget, len(election.ballots))
    # Units, and budgets in between (the screen takes any per-voter budget).
    unflagged_runs_equal_exact_runs(election, [b0 + Fraction(m, 3) for m in range(24)])


@pytest.mark.parametrize(
    "stem", ["France_Toulouse_2024", "Poland_Wieliczka_2023_Green_Budget", "Switzerland_Zurich_D10"]
)
def test_screen_funds_the_exact_sets_on_real_files(stem: str) -> None:
    election = read_pabulib(REAL / f"{stem}.pb")
    b0 = Fraction(election.budget, len(election.ballots))
    budgets = [b0 + k for k in range(0, 600, 19)]
    # Real files have many exact ties (equal costs, equal supporters): decided exactly, not flagged.
    assert unflagged_runs_equal_exact_runs(election, budgets) == len(budgets)


def test_a_cost_equal_to_the_supporters_money_is_flagged() -> None:
    # Two voters with 5 each, a project of 10 that both approve: affordable exactly, which
    # floats cannot tell from "just short"; the run is flagged (made exactly by add1).
    election = Election(
        projects=(Project(id="1", cost=10), Project(id="2", cost=3)),
        ballots=Profile([frozenset({"1"}), frozenset({"1", "2"})]),
        budget=10,
    )
    engine = es.MESEngine(compile_election(election))
    _, flags, _ = BatchScreen(engine).run([Fraction(5), Fraction(6)])
    assert flags.tolist() == [True, False]
    result = es.equal_shares(compile_election(election))
    assert result.exact_runs >= 1
    assert set(result.run.selected) == {0}


def test_runs_above_a_sure_overspend_are_abandoned() -> None:
    election = read_pabulib(REAL / "Switzerland_Zurich_D10.pb")
    engine = es.MESEngine(compile_election(election))
    b0 = Fraction(election.budget, len(election.ballots))
    budgets = [b0 + 10 * k for k in range(40)]
    sets, _, abandoned = BatchScreen(engine).run(budgets, cap=float(election.budget))
    cost = np.array(engine.cost_f)
    over = np.flatnonzero(sets.astype(np.float64) @ cost > election.budget)
    first = int(over[0])
    # Every run up to the first overspending one is complete, every one after is abandoned.
    assert not abandoned[: first + 1].any()
    assert abandoned[first + 1 :].all()
