"""The same counts done by pabutools (reference implementation; tests and benchmark only).

Same definitions and the same tie-breaking as the library: lower cost first, then lower
project id (numeric when every id is a number). Greedy orders by score (approvals, total
points or total Borda points): pabutools' greedy orders by satisfaction per unit of cost,
so the satisfaction is ``score × cost`` (``Cost_Sat`` for approval, ``PointsCostSat`` /
``BordaCostSat`` below otherwise). Projects nobody voted for are removed first: the library
never funds them, whereas pabutools' greedy would fund them last if they fit.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pabutools.election import (
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    AdditiveSatisfaction,
    Cost_Sat,
)
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from apps.budgets.counting import Election, Points, write_pabulib


class PointsCostSat(AdditiveSatisfaction):  # type: ignore[misc]  # pabutools ships no annotations
    def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
        super().__init__(instance, profile, ballot, lambda inst, prof, b, p, pre: b.get(p, 0) * p.cost)


class BordaCostSat(AdditiveSatisfaction):  # type: ignore[misc]  # pabutools ships no annotations
    def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
        def func(inst: Any, prof: Any, b: Any, p: Any, pre: Any) -> Any:
            return (len(b) - b.index(p) - 1) * p.cost if p in b else 0

        super().__init__(instance, profile, ballot, func)


def supported_only(election: Election) -> Election:
    voted: set[str] = set()
    for ballot, _ in election.ballots.grouped():
        if isinstance(ballot, Points):
            voted.update(pid for pid, points in ballot.items() if points > 0)
        elif isinstance(ballot, tuple):
            voted.update(ballot[:-1] if ballot else ())  # the last-ranked project has Borda 0
        else:
            voted.update(ballot)
    return dataclasses.replace(election, projects=tuple(p for p in election.projects if p.id in voted))


def pabutools_count(election: Election, rule: str, completion: str | None = "add1-utilitarian") -> set[str]:
    instance, profile = parse_pabulib_from_string(write_pabulib(election))
    grouped = profile.as_multiprofile()
    if len(grouped) * 2 <= len(profile):
        # pabutools counts a multiprofile (each distinct ballot once, with its number of voters)
        # as the same election, faster when many voters cast the same ballot: Wieliczka's
        # 6,586 ballots are 1,190 distinct ones, and its add1 count takes 6 s of CPU instead of
        # 17. Where few ballots repeat (Amsterdam: 10,081 and 9,750) the grouping costs more
        # than it saves, so the plain profile is kept.
        profile = grouped
    numeric = all(p.name.isdigit() for p in instance)
    tie = TieBreakingRule(lambda inst, prof, proj: (proj.cost, int(proj.name) if numeric else proj.name))
    if election.vote_type == "approval":
        mes_sat: Any = Cost_Sat
        greedy_sat: Any = Cost_Sat
    elif election.vote_type == "ordinal":
        mes_sat, greedy_sat = Additive_Borda_Sat, BordaCostSat
    else:
        mes_sat, greedy_sat = Additive_Cardinal_Sat, PointsCostSat
    greedy_params = {"sat_class": greedy_sat, "tie_breaking": tie, "is_sat_additive": True}
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, **greedy_params)
    elif completion is None:
        outcome = method_of_equal_shares(instance, profile, sat_class=mes_sat, tie_breaking=tie)
    else:
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": mes_sat, "tie_breaking": tie, "voter_budget_increment": 1}, greedy_params],
        )
    voted = {p.id for p in supported_only(election).projects}
    return {p.name for p in outcome if p.name in voted}
