"""Property tests (hypothesis) on random small elections, and pabutools as a reference."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.budgets.counting import Election, Points, Profile, Project, count
from tests.budgets.counting.pabutools_bridge import pabutools_count

# Small integers make exact ties frequent, which is what exercises the exact arithmetic.
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw: st.DrawFn, vote_type: str = "approval") -> Election:
    num_projects = draw(st.integers(1, 7))
    ids = [str(i + 1) for i in range(num_projects)]
    costs = draw(st.lists(st.integers(1, 12), min_size=num_projects, max_size=num_projects))
    num_voters = draw(st.integers(1, 9))
    ballots: list[Any] = []
    for _ in range(num_voters):
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=num_projects, unique=True))
        if vote_type == "approval":
            ballots.append(frozenset(chosen))
        elif vote_type == "ordinal":
            ballots.append(tuple(chosen))
        else:
            points = draw(st.lists(st.integers(1, 4), min_size=len(chosen), max_size=len(chosen)))
            ballots.append(Points(zip(chosen, points, strict=True)))
    budget = draw(st.integers(1, max(1, sum(costs))))
    return Election(
        projects=tuple(Project(id=i, cost=c) for i, c in zip(ids, costs, strict=True)),
        ballots=Profile(ballots),
        budget=budget,
        vote_type=vote_type,  # type: ignore[arg-type]
    )


RULES = [("greedy", None), ("equal-shares", None), ("equal-shares", "add1-utilitarian")]


@SETTINGS
@given(elections(), st.sampled_from(RULES))
def test_budget_never_exceeded(election: Election, rule: tuple[str, str | None]) -> None:
    outcome = count(election, rule[0], rule[1])
    assert outcome.cost <= election.budget
    assert outcome.cost == sum(election.project(p).cost for p in outcome.selected)
    assert len(set(outcome.selected)) == len(outcome.selected)


@SETTINGS
@given(elections(), st.integers(1, 20), st.integers(1, 3))
def test_equal_shares_ignores_projects_nobody_voted_for(election: Election, cost: int, extra: int) -> None:
    more = tuple(Project(id=str(100 + k), cost=cost) for k in range(extra))
    bigger = dataclasses.replace(election, projects=election.projects + more)
    for completion in (None, "add1-utilitarian"):
        assert (
            count(bigger, "equal-shares", completion).selected == count(election, "equal-shares", completion).selected
        )


@SETTINGS
@given(elections(), st.randoms(use_true_random=False), st.sampled_from(RULES))
def test_outcome_does_not_depend_on_ballot_order(
    election: Election, rng: random.Random, rule: tuple[str, str | None]
) -> None:
    ballots = list(election.ballots)
    rng.shuffle(ballots)
    shuffled = dataclasses.replace(election, ballots=Profile(ballots))
    assert count(shuffled, rule[0], rule[1]).selected == count(election, rule[0], rule[1]).selected


@SETTINGS
@given(st.sampled_from(["approval", "cumulative"]).flatmap(elections), st.sampled_from(RULES))
def test_same_outcome_as_pabutools(election: Election, rule: tuple[str, str | None]) -> None:
    ours = count(election, rule[0], rule[1])
    assert set(ours.selected) == pabutools_count(election, rule[0], rule[1])


@SETTINGS
@given(elections("ordinal"), st.sampled_from(RULES[:2]))
def test_ordinal_same_outcome_as_pabutools(election: Election, rule: tuple[str, str | None]) -> None:
    assert set(count(election, rule[0], rule[1]).selected) == pabutools_count(election, rule[0], rule[1])


def test_exact_arithmetic_where_floats_would_tie_wrongly() -> None:
    # Two projects with 5 supporters each, costs 1 and 3: both rho are exactly 1/5 per unit
    # of cost (each supporter pays cost / 5), so the cheaper one must win the tie. In
    # floating point (3/5)/3 is below (1/5)/1: the float order is the wrong one.
    election = Election(
        projects=(Project("b", 3), Project("a", 1)),
        ballots=Profile.from_groups([(frozenset({"a"}), 5), (frozenset({"b"}), 5)]),
        budget=10,
    )
    assert 3 / 5 * (1 / 3) < 1 / 5 * (1 / 1)
    outcome = count(election, "equal-shares", None)
    assert outcome.selected == ("a", "b")
    assert outcome.explanations["a"].rho == outcome.explanations["b"].rho == str(Fraction(1, 5))
