"""The shortcuts of the Equal Shares engine give the outcome of the plain definition.

- ``evaluate`` has two ways of finding rho (a fixed-point iteration for projects with few
  supporter groups, a water-filling over a band of supporters for the others): small random
  elections only take the first way unless ``SMALL`` is lowered, so both are run here and
  compared, and the band way is also compared with pabutools;
- the co-support lists may be replaced by connected components (a superset) on large
  elections: same outcomes, and always a superset of the exact lists;
- add1 skips the budgets a shadow replay proves to give the same funded set
  (``MESEngine.same_outcome_up_to``): every proved interval is checked against plain runs
  at every unit and in between, and the add1 result is the one-unit-at-a-time result, on
  random elections and on real files.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.budgets.counting import Election, Profile, Project, count, read_pabulib
from apps.budgets.counting.tally import compile_election
from tests.budgets.counting.pabutools_bridge import pabutools_count
from tests.budgets.counting.test_properties import elections

# The package re-exports the function ``equal_shares`` under the module's name.
es = importlib.import_module("apps.budgets.counting.equal_shares")

REAL = Path("/work/shared/bench-data/pabulib")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VOTE_TYPES = st.sampled_from(["approval", "cumulative", "ordinal"])


@contextmanager
def band_only() -> Iterator[None]:
    """Every project goes through the band water-filling."""
    with mock.patch.object(es, "SMALL", -1):
        yield


@contextmanager
def fixed_point_first() -> Iterator[None]:
    """Every project goes through the fixed-point iteration first."""
    with mock.patch.object(es, "SMALL", 10**9):
        yield


@contextmanager
def no_screen() -> Iterator[None]:
    """add1 without the batched float screen: the proved skips of the plain add1."""
    with mock.patch.object(es, "SCREEN_MAX_ENTRIES", -1):
        yield


def run_signature(run: Any) -> tuple[Any, ...]:
    return (run.selected, run.rounds, run.rho(), sorted(run.unaffordable))


def runs(election: Election, increments: range, *, track: bool = False) -> list[tuple[Any, ...]]:
    tally = compile_election(election)
    engine = es.MESEngine(tally)
    b0 = Fraction(tally.budget) / tally.num_voters
    return [run_signature(engine.run(b0 + k, track=track)) for k in increments]


@SETTINGS
@given(VOTE_TYPES.flatmap(elections))
def test_band_water_filling_equals_fixed_point(election: Election) -> None:
    with fixed_point_first():
        reference = runs(election, range(6))
    with band_only():
        assert runs(election, range(6)) == reference
        assert runs(election, range(6), track=True) == reference


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["approval", "cumulative"]).flatmap(elections), st.sampled_from([None, "add1-utilitarian"]))
def test_band_water_filling_same_outcome_as_pabutools(election: Election, completion: str | None) -> None:
    with band_only():
        ours = count(election, "equal-shares", completion)
    assert set(ours.selected) == pabutools_count(election, "equal-shares", completion)


def test_band_water_filling_on_a_larger_random_election() -> None:
    # Many voters with depleted budgets, and weights > 1: the band path with sure-poor
    # supporters, retries of the threshold and zero budgets all occur.
    rng = np.random.default_rng(5)
    ids = [str(i + 1) for i in range(25)]
    popularity = 1.0 / np.arange(1, 26) ** 0.7
    ballots = []
    for _ in range(3000):
        size = int(rng.integers(1, 6))
        chosen = rng.choice(25, size=size, replace=False, p=popularity / popularity.sum())
        ballots.append(frozenset(ids[j] for j in chosen))
    costs = rng.integers(5, 400, 25) * 10
    election = Election(
        projects=tuple(Project(id=i, cost=int(c)) for i, c in zip(ids, costs, strict=True)),
        ballots=Profile(ballots),
        budget=int(costs.sum()) // 3,
    )
    with fixed_point_first():
        reference = runs(election, range(0, 40, 3))
        outcome = count(election, "equal-shares")
    assert outcome.runs > 1
    with band_only():
        assert runs(election, range(0, 40, 3)) == reference
        assert count(election, "equal-shares").selected == outcome.selected


@SETTINGS
@given(VOTE_TYPES.flatmap(elections))
def test_connected_components_superset_of_co_support(election: Election) -> None:
    tally = compile_election(election)
    exact = es._co_support(tally.rows)
    with mock.patch.object(es, "CO_SUPPORT_EXACT_LIMIT", -1):
        components = es._co_support(tally.rows)
        coarse = count(election, "equal-shares")
    for p, neighbours in enumerate(exact):
        assert set(neighbours.tolist()) <= set(components[p].tolist())
        # Co-support is symmetric and contains the project itself when it is supported.
        assert all(p in set(exact[q].tolist()) for q in neighbours.tolist())
    assert coarse.selected == count(election, "equal-shares").selected


def add1_one_unit_at_a_time(election: Election, until: str = "exhaustive") -> Any:
    """The add1 definition, literally: every per-voter budget B/n + k, k = 0, 1, 2, ..."""
    tally = compile_election(election)
    engine = es.MESEngine(tally)
    budget = Fraction(tally.budget)
    b0 = budget / tally.num_voters
    previous = None
    k = 0
    while True:
        current = engine.run(b0 + k)
        spent = sum((engine.cost_q[p] for p in current.selected), Fraction(0))
        if spent > budget:
            assert previous is not None
            return previous
        left = budget - spent
        if until == "overspend":
            if all(p in current.selected for p in engine.active):
                return current
        elif not any(p not in current.selected and engine.cost_q[p] <= left for p in engine.active):
            return current
        previous = current
        k += 1


@SETTINGS
@given(VOTE_TYPES.flatmap(elections))
def test_add1_skips_give_the_one_unit_at_a_time_result(election: Election) -> None:
    expected = add1_one_unit_at_a_time(election)
    result = es.equal_shares(compile_election(election))
    # Same retained run: same per-voter budget, projects, rounds and exact rho.
    assert result.run.per_voter_budget == expected.per_voter_budget
    assert run_signature(result.run) == run_signature(expected)
    with band_only():
        assert run_signature(es.equal_shares(compile_election(election)).run) == run_signature(expected)
    with no_screen():
        assert run_signature(es.equal_shares(compile_election(election)).run) == run_signature(expected)


def test_chunked_dot_matches_numpy() -> None:
    rng = np.random.default_rng(1)
    for n in (0, 1, es._DOT_CHUNK, es._DOT_CHUNK + 1, 5 * es._DOT_CHUNK + 17):
        a, b = rng.random(n), rng.random(n)
        assert es._dot(a, b) == np.float64(a @ b) or abs(es._dot(a, b) - float(a @ b)) <= 1e-12 * max(1.0, n)


def proved_intervals_hold(election: Election, increments: range, jumps: tuple[int, ...]) -> int:
    """Check every interval the shadow proves against plain runs; return how many it proved."""
    tally = compile_election(election)
    engine = es.MESEngine(tally)
    b0 = Fraction(tally.budget) / tally.num_voters
    proved = 0
    for k in increments:
        run = engine.run(b0 + k)
        for jump in jumps:
            if not engine.same_outcome_up_to(run, b0 + k + jump):
                continue
            proved += 1
            # Every unit, and budgets in between (the proof covers every real budget).
            for step in (Fraction(m, 2) for m in range(1, 2 * jump + 1)):
                assert set(engine.run(b0 + k + step).selected) == set(run.selected), (k, jump, step)
    return proved


@SETTINGS
@given(VOTE_TYPES.flatmap(elections))
def test_shadow_proofs_hold_at_every_budget_of_the_interval(election: Election) -> None:
    proved_intervals_hold(election, range(0, 8, 2), (1, 3, 8))


def test_shadow_proves_intervals_on_a_real_file() -> None:
    # Zurich (cumulative): the proofs must hold, and there must be some (else the test
    # above could pass with a shadow that never proves anything).
    election = read_pabulib(REAL / "Switzerland_Zurich_D10.pb")
    assert proved_intervals_hold(election, range(0, 40, 3), (1, 2, 4, 8)) > 5


@pytest.mark.parametrize(
    "stem",
    [
        "Netherlands_Assen_2024",
        "Switzerland_Zurich_D10",
        "Poland_Swiecie_2023",
        "US_Stanford_Dataset_PB_Cambridge_2015_vote_knapsacks",
        "Poland_Wieliczka_2023_Green_Budget",
    ],
)
@pytest.mark.parametrize("screen", [True, False])
def test_add1_with_skips_equals_one_unit_at_a_time_on_real_files(stem: str, screen: bool) -> None:
    election = read_pabulib(REAL / f"{stem}.pb")
    expected = add1_one_unit_at_a_time(election)
    if screen:
        result = es.equal_shares(compile_election(election))
        assert result.runs > result.exact_runs  # the screen was used
    else:
        with no_screen():
            result = es.equal_shares(compile_election(election))
        assert result.runs == result.exact_runs
    assert result.run.per_voter_budget == expected.per_voter_budget
    assert run_signature(result.run) == run_signature(expected)
    # The skips, or the screen, made fewer exact runs than the units stepped.
    assert result.exact_runs < (expected.per_voter_budget - Fraction(election.budget, len(election.ballots))) + 1


@SETTINGS
@given(VOTE_TYPES.flatmap(elections))
def test_add1_until_overspend_with_skips_equals_one_unit_at_a_time(election: Election) -> None:
    expected = add1_one_unit_at_a_time(election, until="overspend")
    result = es.equal_shares(compile_election(election), until="overspend")
    assert result.run.per_voter_budget == expected.per_voter_budget
    assert run_signature(result.run) == run_signature(expected)
    with no_screen():
        assert run_signature(es.equal_shares(compile_election(election), until="overspend").run) == run_signature(
            expected
        )
