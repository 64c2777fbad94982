"""Counting of participatory-budget votes: Pabulib files, greedy rule, Method of Equal Shares.

Pure Python + numpy/scipy, no Django: usable from the web app, the ``pb_count`` command and
standalone scripts. Entry points::

    election = read_pabulib("vote.pb")          # or build Election(...) directly
    outcome = count(election, "equal-shares")   # completion "add1-utilitarian" by default
    outcome.selected, outcome.cost, outcome.explanations["12"].reason_code

Rules and tie-breaking are documented in :mod:`.greedy` and :mod:`.equal_shares`; in
short: ties are broken in favour of the lower cost, then of the lower project id (numeric
when every id is a number), in both rules.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Literal

from .equal_shares import equal_shares
from .greedy import greedy_pass
from .pabulib import PabulibError, read_pabulib, write_pabulib
from .profiles import (
    Amount,
    Ballot,
    Election,
    Outcome,
    Points,
    Profile,
    Project,
    ProjectExplanation,
    VoteType,
    as_amount,
    tie_break_keys,
)
from .tally import Tally, compile_election

__all__ = [
    "COMPLETIONS",
    "RULES",
    "Amount",
    "Ballot",
    "Election",
    "Outcome",
    "PabulibError",
    "Points",
    "Profile",
    "Project",
    "ProjectExplanation",
    "VoteType",
    "count",
    "read_pabulib",
    "tie_break_keys",
    "write_pabulib",
]

RULES = ("greedy", "equal-shares")
COMPLETIONS = ("add1-utilitarian",)
Rule = Literal["greedy", "equal-shares"]


def count(
    election: Election,
    rule: Rule | str = "greedy",
    completion: str | None = "add1-utilitarian",
) -> Outcome:
    """Count the election with ``rule``; ``completion`` only applies to ``equal-shares``."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r} (expected one of {', '.join(RULES)})")
    if completion is not None and completion not in COMPLETIONS:
        raise ValueError(f"unknown completion {completion!r}")
    started = time.perf_counter()
    tally = compile_election(election)
    outcome = _count_greedy(tally) if rule == "greedy" else _count_equal_shares(tally, completion)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _base_explanations(tally: Tally) -> dict[str, ProjectExplanation]:
    return {
        pid: ProjectExplanation(
            project_id=pid,
            selected=False,
            votes=tally.scores[p],
            cost=tally.costs[p],
            reason_code="no_votes",
            supporters_count=tally.supporters[p],
        )
        for p, pid in enumerate(tally.project_ids)
    }


def _count_greedy(tally: Tally) -> Outcome:
    explanations = _base_explanations(tally)
    selected: list[str] = []
    spent: Amount = 0
    for step in greedy_pass(tally, range(tally.num_projects), tally.budget):
        pid = tally.project_ids[step.project]
        explanation = explanations[pid]
        explanation.remaining_budget_when_considered = step.remaining_budget
        if step.selected:
            explanation.selected = True
            explanation.reason_code = "selected"
            selected.append(pid)
            spent += tally.costs[step.project]
        else:
            explanation.reason_code = "not_affordable"
    return Outcome(selected=tuple(selected), cost=as_amount(Fraction(spent)), rule="greedy", explanations=explanations)


def _count_equal_shares(tally: Tally, completion: str | None) -> Outcome:
    result = equal_shares(tally, completion)
    run = result.run
    explanations = _base_explanations(tally)
    selected: list[str] = []
    spent = Fraction(0)
    rhos = run.rho()
    for p in run.selected:
        pid = tally.project_ids[p]
        explanation = explanations[pid]
        # Internally, approval ballots use unit utilities and rho is the per-voter payment
        # cap; the published rho is per unit of utility (utility = cost).
        cap = rhos[p]
        cost = Fraction(tally.costs[p])
        rho = cap / cost if tally.cost_utilities and cost else cap
        explanation.selected = True
        explanation.reason_code = "selected"
        explanation.rho = str(rho)
        explanation.max_payment = float(cap) if tally.cost_utilities else None
        explanation.round = run.rounds[p]
        explanation.remaining_budget_when_considered = as_amount(Fraction(tally.budget) - spent)
        selected.append(pid)
        spent += tally.costs[p]
    for p, (available, _) in run.unaffordable.items():
        explanation = explanations[tally.project_ids[p]]
        explanation.reason_code = "supporters_budget_exhausted"
        explanation.supporters_budget_left = available
    for p, funded, left in result.completion_steps:
        pid = tally.project_ids[p]
        explanation = explanations[pid]
        explanation.remaining_budget_when_considered = as_amount(left)
        if funded:
            explanation.selected = True
            explanation.reason_code = "selected_in_completion"
            selected.append(pid)
            spent += tally.costs[p]
    return Outcome(
        selected=tuple(selected),
        cost=as_amount(spent),
        rule="equal-shares",
        explanations=explanations,
        completion=completion,
        per_voter_budget=str(run.per_voter_budget),
        runs=result.runs,
    )
