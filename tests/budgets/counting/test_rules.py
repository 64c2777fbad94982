"""Hand-worked examples of the greedy rule and of the Method of Equal Shares."""

from __future__ import annotations

from fractions import Fraction

import pytest

from apps.budgets.counting import Election, Points, Profile, Project, count


def approval(costs: dict[str, int], groups: list[tuple[set[str], int]], budget: int) -> Election:
    return Election(
        projects=tuple(Project(id=pid, cost=cost) for pid, cost in costs.items()),
        ballots=Profile.from_groups((frozenset(b), n) for b, n in groups),
        budget=budget,
        vote_type="approval",
    )


def test_greedy_skips_a_project_that_no_longer_fits() -> None:
    election = approval({"a": 8, "b": 5, "c": 2}, [({"a", "b", "c"}, 1), ({"a", "b"}, 1), ({"a"}, 1)], 10)
    outcome = count(election, "greedy")
    assert outcome.selected == ("a", "c")
    assert outcome.cost == 10
    b = outcome.explanations["b"]
    assert (b.selected, b.reason_code, b.remaining_budget_when_considered, b.votes) == (False, "not_affordable", 2, 2)
    assert outcome.explanations["c"].reason_code == "selected"


def test_greedy_ties_lower_cost_then_numeric_id() -> None:
    # Same votes: cheaper first; same cost: "9" before "10" (ids are all numbers).
    election = approval({"10": 5, "9": 5, "11": 4}, [({"10", "9", "11"}, 2)], 9)
    assert count(election, "greedy").selected == ("11", "9")
    # With a non-numeric id, ids compare as strings: "10" < "9" < "x".
    election = approval({"10": 5, "9": 5, "x": 6}, [({"10", "9", "x"}, 2)], 10)
    assert count(election, "greedy").selected == ("10", "9")


def test_greedy_never_funds_projects_without_votes() -> None:
    election = approval({"a": 1, "b": 1}, [({"a"}, 3)], 10)
    outcome = count(election, "greedy")
    assert outcome.selected == ("a",)
    assert outcome.explanations["b"].reason_code == "no_votes"


def test_equal_shares_is_proportional_where_greedy_is_not() -> None:
    # 6 voters like a1..a5, 4 voters like b1..b5, all cost 1, budget 5: each voter has 1/2.
    # The 6 can pay 3 projects, the 4 can pay 2; greedy gives everything to the majority.
    reds = {f"a{i}" for i in range(1, 6)}
    blues = {f"b{i}" for i in range(1, 6)}
    election = approval(dict.fromkeys(sorted(reds | blues), 1), [(reds, 6), (blues, 4)], 5)
    assert set(count(election, "greedy").selected) == reds
    outcome = count(election, "equal-shares", completion=None)
    assert outcome.selected == ("a1", "a2", "a3", "b1", "b2")
    # Round 1: six supporters pay 1/6 each, rho = 1/6 per unit of cost.
    assert outcome.explanations["a1"].rho == "1/6"
    assert outcome.explanations["a1"].round == 1
    assert outcome.explanations["b1"].rho == "1/4"
    lost = outcome.explanations["a4"]
    assert lost.reason_code == "supporters_budget_exhausted"
    assert lost.supporters_budget_left == pytest.approx(0.0)


def test_equal_shares_poor_supporters_pay_what_they_have() -> None:
    # Budget 6, 3 voters with 2 each. Project x (cost 3) by voters 1 and 2; y (cost 2) by voter 3;
    # z (cost 3) by all. Round 1: y costs 2 for 1 voter (rho 1) vs x 3/2 per voter for cost 3
    # (rho 1/2) vs z 1 per voter for cost 3 (rho 1/3): z first, everyone pays 1.
    # Round 2: x needs 3 from voters with 1 each (only 2): unaffordable; y needs 2 from 1: too.
    election = approval({"x": 3, "y": 2, "z": 3}, [({"x", "z"}, 2), ({"y", "z"}, 1)], 6)
    outcome = count(election, "equal-shares", completion=None)
    assert outcome.selected == ("z",)
    assert outcome.explanations["z"].rho == "1/3"
    assert outcome.explanations["z"].max_payment == pytest.approx(1.0)
    assert outcome.explanations["x"].supporters_budget_left == pytest.approx(2.0)
    # add1: with 3 each (B/n + 1), z costs 1 each, then x (3 from 2 voters with 2 left) and
    # y (2 from 1 voter with 2): cost 8 > 6, so the run at +1 is refused; the run at +0 is
    # kept and the greedy completion adds x (2 votes, cost 3 fits in 3).
    outcome = count(election, "equal-shares")
    assert outcome.selected == ("z", "x")
    assert outcome.explanations["x"].reason_code == "selected_in_completion"
    assert outcome.explanations["y"].remaining_budget_when_considered == 0


def test_equal_shares_exact_tie_uses_cost_then_id() -> None:
    # Three disjoint pairs of voters with 2 each; every project costs its pair's whole
    # budget, so all three rho are exactly 1/2: cheapest first, then "p10" < "p9" (ids are
    # not all numeric, they compare as strings).
    election = approval({"p10": 4, "p9": 4, "c": 2}, [({"p10"}, 2), ({"p9"}, 2), ({"c"}, 2)], 12)
    outcome = count(election, "equal-shares", completion=None)
    assert outcome.selected == ("c", "p10", "p9")
    assert {outcome.explanations[p].rho for p in outcome.selected} == {"1/2"}


def test_equal_shares_with_cumulative_points_as_utilities() -> None:
    # Budget 4, two voters with 2 each. Voter 1: 3 points on a, 1 on b; voter 2: 1 on a, 3 on c.
    # a (cost 2): both pay rho x points, 3 rho + rho = 2 -> rho = 1/2 (payments 3/2 and 1/2).
    # c (cost 2): voter 2 alone, 3 rho = 2 -> rho = 2/3. b: rho = 2. a first.
    ballots = Profile([Points({"a": 3, "b": 1}), Points({"a": 1, "c": 3})])
    election = Election(
        projects=(Project("a", 2), Project("b", 2), Project("c", 2)),
        ballots=ballots,
        budget=4,
        vote_type="cumulative",
    )
    outcome = count(election, "equal-shares", completion=None)
    assert outcome.selected[0] == "a"
    assert outcome.explanations["a"].rho == "1/2"
    # Then voter 2 has 3/2 left: c needs 3 rho <= 3/2 -> pays 3/2 < 2: unaffordable; b: 1/2 < 2.
    assert outcome.selected == ("a",)
    assert count(election, "greedy").selected == ("a", "c")  # 4 points, then 3


def test_ordinal_greedy_uses_borda() -> None:
    # Borda: position i of a ballot of length L gets L - 1 - i.
    ballots = Profile([("a", "b", "c"), ("b", "c", "a"), ("b", "a", "c")])
    election = Election(
        projects=(Project("a", 1), Project("b", 1), Project("c", 1)),
        ballots=ballots,
        budget=2,
        vote_type="ordinal",
    )
    outcome = count(election, "greedy")
    assert outcome.explanations["b"].votes == 5
    assert outcome.explanations["a"].votes == 3
    assert outcome.selected == ("b", "a")


def test_fractional_costs_stay_exact() -> None:
    election = approval({"a": 1, "b": 2}, [({"a", "b"}, 3)], 3)
    election = Election(
        projects=(Project("a", Fraction(3, 2)), Project("b", Fraction(3, 2))),
        ballots=election.ballots,
        budget=3,
    )
    for rule in ("greedy", "equal-shares"):
        outcome = count(election, rule)
        assert outcome.selected == ("a", "b")
        assert outcome.cost == 3


def test_unknown_rule_is_refused() -> None:
    election = approval({"a": 1}, [({"a"}, 1)], 1)
    with pytest.raises(ValueError, match="unknown rule"):
        count(election, "random")
