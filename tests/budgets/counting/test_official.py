"""The declared rules of Pabulib files (``count_official``) on hand-made instances.

Each instance is built so that the variants give different winners.
"""

from __future__ import annotations

import pytest

from apps.budgets.counting import (
    Election,
    PabulibError,
    Points,
    Profile,
    Project,
    RuleVariant,
    UnsupportedRuleError,
    count,
    count_official,
    official_variant,
    read_pabulib,
)


def approval(
    costs: dict[str, int], groups: list[tuple[set[str], int]], budget: int, rule: str = "greedy", **meta: str
) -> Election:
    return Election(
        projects=tuple(Project(id=pid, cost=cost) for pid, cost in costs.items()),
        ballots=Profile.from_groups((frozenset(b), n) for b, n in groups),
        budget=budget,
        vote_type="approval",
        meta={"rule": rule, **meta},
    )


# ---------------------------------------------------------------------- declared rules


@pytest.mark.parametrize(
    ("meta", "name"),
    [
        ({"rule": "greedy"}, "greedy/skip"),
        ({"rule": "greedy", "min_project_score_threshold": "10"}, "greedy/skip/threshold=10"),
        ({"rule": "greedy-no-skip"}, "greedy/no-skip"),
        ({"rule": "greedy-no-skip", "min_project_score_threshold": "50"}, "greedy/no-skip/threshold=50"),
        ({"rule": "greedy-threshold", "min_project_score_threshold": "83"}, "greedy/skip/threshold=83"),
        ({"rule": "equalshares"}, "equal-shares"),
        ({"rule": "equalshares-comparison"}, "equal-shares/comparison"),
        ({"rule": "equalshares/add1"}, "equal-shares/add1-until-overspend"),
        ({"rule": "equalshares/add1-comparison"}, "equal-shares/add1-until-overspend/comparison"),
    ],
)
def test_declared_rule_to_variant(meta: dict[str, str], name: str) -> None:
    assert official_variant(meta).name == name


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({}, "declares no rule"),
        ({"rule": "unknown"}, "'unknown' is not supported"),
        ({"rule": "greedy-custom"}, "'greedy-custom' is not supported"),
        ({"rule": "greedy-exclusive"}, "'greedy-exclusive' is not supported"),
        ({"rule": "greedy-threshold"}, "without 'min_project_score_threshold'"),
        ({"rule": "greedy-threshold", "min_project_score_threshold": "many"}, "is not a number"),
    ],
)
def test_undeclared_or_unsupported_rules_are_refused(meta: dict[str, str], message: str) -> None:
    with pytest.raises(UnsupportedRuleError, match=message):
        official_variant(meta)


# ---------------------------------------------------------------------- greedy variants


def test_greedy_skips_a_misfit_where_greedy_no_skip_stops() -> None:
    # a (3 votes, 6) fits; b (2 votes, 6) does not fit in the 4 left; c (1 vote, 4) does.
    groups = [({"a", "b", "c"}, 1), ({"a", "b"}, 1), ({"a"}, 1)]
    costs = {"a": 6, "b": 6, "c": 4}
    assert count_official(approval(costs, groups, 10, "greedy")).selected == ("a", "c")
    no_skip = count_official(approval(costs, groups, 10, "greedy-no-skip"))
    assert no_skip.selected == ("a",)
    assert no_skip.explanations["b"].reason_code == "not_affordable"
    assert no_skip.explanations["c"].reason_code == "after_stop"
    assert no_skip.variant == "greedy/no-skip"


def test_threshold_excludes_projects_below_it_and_keeps_those_at_it() -> None:
    # Votes: a 3, b 2, c 1; everything fits. Threshold 2: a and b (2 >= 2), not c.
    groups = [({"a", "b", "c"}, 1), ({"a", "b"}, 1), ({"a"}, 1)]
    costs = {"a": 1, "b": 1, "c": 1}
    election = approval(costs, groups, 10, "greedy-threshold", min_project_score_threshold="2")
    outcome = count_official(election)
    assert outcome.selected == ("a", "b")
    assert outcome.explanations["c"].reason_code == "below_threshold"
    assert count(election, "greedy").selected == ("a", "b", "c")


def test_no_skip_and_threshold_together_as_in_gdynia() -> None:
    # b (2 votes) is below the threshold of 3: ignored, so it does not stop the count.
    groups = [({"a", "b", "c"}, 2), ({"a", "c"}, 1)]
    costs = {"a": 5, "b": 9, "c": 4}
    election = approval(costs, groups, 9, "greedy-no-skip", min_project_score_threshold="3")
    assert set(count_official(election).selected) == {"a", "c"}


def test_ordinal_greedy_ranks_by_positional_points_from_max_length() -> None:
    # Ballots of 3 with "3, 2, 1" points (Kraków). x: 2nd on 2 ballots, 3rd on 10 = 14
    # points; y: 1st on 4 ballots = 12. Only one of them fits. The Borda utilities of Equal
    # Shares (2, 1, 0) would rank y (8) above x (2). f1, f2 cost more than the budget.
    groups = [(("y", "f1", "f2"), 4), (("f1", "x", "f2"), 2), (("f1", "f2", "x"), 10)]
    election = Election(
        projects=(Project("x", 6), Project("y", 6), Project("f1", 100), Project("f2", 100)),
        ballots=Profile.from_groups(groups),
        budget=10,
        vote_type="ordinal",
        meta={"rule": "greedy", "max_length": "3"},
    )
    outcome = count_official(election)
    assert outcome.selected == ("x",)
    assert (outcome.explanations["x"].votes, outcome.explanations["y"].votes) == (14, 12)
    assert count(election, "greedy").selected == ("y",)


def test_cumulative_greedy_ranks_by_points_and_checks_the_score_column() -> None:
    ballots = [Points({"a": 3}), Points({"b": 1, "c": 2}), Points({"b": 1, "c": 1})]
    election = Election(
        projects=(Project("a", 5, extra={"score": "3"}), Project("b", 5, extra={"score": "7"}), Project("c", 5)),
        ballots=Profile(ballots),
        budget=10,
        vote_type="cumulative",
        meta={"rule": "greedy"},
    )
    outcome = count_official(election)
    assert outcome.selected == ("a", "c")  # a 3 points, c 3 points, b 2
    assert outcome.warnings == [
        "the 'score' column of PROJECTS differs from the ballots for b (7 in the file, 2 counted)"
    ]


def test_a_deciding_tie_is_reported_and_broken_by_lower_cost_or_by_more_voters() -> None:
    # a and b have 4 points each, only one fits: lower cost gives b, more voters gives a.
    ballots = [Points({"a": 1}), Points({"a": 1}), Points({"a": 1}), Points({"a": 1}), Points({"b": 4})]
    election = Election(
        projects=(Project("a", 6), Project("b", 5)),
        ballots=Profile(ballots),
        budget=8,
        vote_type="cumulative",
        meta={"rule": "greedy"},
    )
    by_cost = count_official(election)
    assert by_cost.selected == ("b",)
    assert len(by_cost.ties) == 1
    assert "a would win instead of b" in by_cost.ties[0]
    by_votes = count_official(election, tie_breaking="max-votes")
    assert by_votes.selected == ("a",)
    assert by_votes.variant == "greedy/skip/ties=max-votes"
    assert by_votes.ties


def test_no_tie_reported_when_the_order_of_equal_projects_does_not_matter() -> None:
    election = approval({"a": 1, "b": 1}, [({"a", "b"}, 2)], 10)
    assert count_official(election).ties == []


# ---------------------------------------------------------------------- equal shares variants


def test_add1_until_overspend_goes_past_the_first_exhaustive_outcome() -> None:
    # Budget 9, 6 voters (B/n = 1.5). Per voter 2.5: "1" (cost 5, voters 3 and 6) is
    # affordable first (tie with "3" broken by id) and leaves 4: nothing else fits, the
    # outcome is exhaustive. Per voter 3.5: the three supporters of "2" (cost 9) pay 3 each,
    # the cheapest price, and then "1" and "3" are out of reach: {2}, cost 9. Per voter
    # 4.5: {2, 1} overspends. Stopping at the first exhaustive outcome gives {1}; going on
    # until the outcome overspends (Wieliczka) gives {2}.
    election = approval(
        {"1": 5, "2": 9, "3": 5, "4": 6},
        [({"2"}, 2), (set(), 1), ({"1", "3", "2"}, 1), ({"3"}, 1), ({"1", "4"}, 1)],
        9,
    )
    exhaustive = RuleVariant(declared="test", family="equal-shares", add1=True, until="exhaustive")
    overspend = RuleVariant(declared="test", family="equal-shares", add1=True, until="overspend")
    assert count_official(election, exhaustive).selected == ("1",)
    outcome = count_official(election, overspend)
    assert outcome.selected == ("2",)
    assert outcome.per_voter_budget == "7/2"


FILL_COSTS = {"1": 9, "2": 4, "3": 5, "4": 5, "5": 10}
# Voters: {4,5} x2, {3}, {2}, {2,4,5}, and one who approves nothing; budget 20.
FILL_GROUPS: list[tuple[set[str], int]] = [({"4", "5"}, 2), ({"3"}, 1), ({"2"}, 1), ({"2", "4", "5"}, 1), (set(), 1)]


def test_add1_without_greedy_fill_leaves_what_mes_did_not_spend() -> None:
    # Equal Shares + add1 funds 4 and 2 (9 of 20); the greedy fill then adds 5 (10, three
    # votes), which fits in the 11 left. Assen's declared "equalshares/add1" has no fill.
    election = approval(FILL_COSTS, FILL_GROUPS, 20, "equalshares/add1")
    plain = count_official(election)
    assert set(plain.selected) == {"4", "2"}
    filled = count_official(election, RuleVariant(declared="test", family="equal-shares", add1=True, greedy_fill=True))
    assert set(filled.selected) == {"4", "2", "5"}
    assert filled.explanations["5"].reason_code == "selected_in_completion"


def test_comparison_step_takes_the_greedy_outcome_when_more_voters_prefer_it() -> None:
    # Greedy funds 4, 5 and 2: the three voters of {4,5} and {2,4,5} get one project more
    # than with Equal Shares ({4, 2}); nobody gets fewer. So greedy's outcome is taken.
    election = approval(FILL_COSTS, FILL_GROUPS, 20, "equalshares/add1-comparison")
    outcome = count_official(election)
    assert set(outcome.selected) == {"4", "5", "2"}
    assert outcome.completion == "comparison: greedy"
    assert "0 voters prefer the Equal Shares outcome, 3 the greedy one" in outcome.warnings[0]


def test_comparison_step_keeps_equal_shares_when_voters_prefer_it() -> None:
    # 4 voters like a1..a3, 3 like b1..b3, 3 like c1..c3; cost 100 each, budget 300. Equal
    # Shares + add1 (34 per voter) gives each group one project; greedy gives a1..a3 to the
    # 4 (4 votes each). 4 voters prefer greedy, 6 prefer Equal Shares: its outcome stays.
    groups = [({"a1", "a2", "a3"}, 4), ({"b1", "b2", "b3"}, 3), ({"c1", "c2", "c3"}, 3)]
    costs = {f"{g}{i}": 100 for g in "abc" for i in range(1, 4)}
    outcome = count_official(approval(costs, groups, 300, "equalshares/add1-comparison"))
    assert set(outcome.selected) == {"a1", "b1", "c1"}
    assert outcome.completion == "add1"
    assert outcome.warnings == ["comparison step: 6 voters prefer the Equal Shares outcome, 4 the greedy one"]


def test_add1_stops_when_every_supported_project_is_funded() -> None:
    # Everything fits: until="overspend" must still stop (nothing can overspend).
    election = approval({"a": 1, "b": 2, "c": 3}, [({"a"}, 1), ({"b", "c"}, 2)], 100, "equalshares/add1")
    assert set(count_official(election).selected) == {"a", "b", "c"}


# ---------------------------------------------------------------------- lenient reading

FILE = """META
key;value
budget;10
vote_type;{vote_type}
rule;greedy
PROJECTS
project_id;cost
1;5
2;5
VOTES
voter_id;vote
1;1,1,2
2;2
"""


def test_lenient_reading_counts_a_duplicate_approval_once() -> None:
    text = FILE.format(vote_type="approval")
    with pytest.raises(PabulibError, match="line 12: voter '1' lists a project twice"):
        read_pabulib(text)
    election = read_pabulib(text, lenient=True)
    assert election.ballots[0] == frozenset({"1", "2"})
    assert election.warnings == ("line 12: voter '1' lists a project twice, counted once",)
    assert count_official(election).warnings[0] == election.warnings[0]


def test_lenient_reading_still_refuses_a_duplicate_in_a_ranking() -> None:
    with pytest.raises(PabulibError, match="lists a project twice"):
        read_pabulib(FILE.format(vote_type="ordinal"), lenient=True)
