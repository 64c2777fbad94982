"""Turn what a rule did (greedy steps, an Equal Shares result) into an :class:`Outcome`.

Shared by :func:`.count` and the official rules of :mod:`.official`.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from .equal_shares import EqualSharesResult
from .greedy import GreedyStep
from .profiles import Amount, Outcome, ProjectExplanation, as_amount
from .tally import Tally


def base_explanations(tally: Tally) -> dict[str, ProjectExplanation]:
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


def greedy_outcome(tally: Tally, steps: Iterable[GreedyStep], rule: str = "greedy") -> Outcome:
    explanations = base_explanations(tally)
    selected: list[str] = []
    spent: Amount = 0
    for step in steps:
        pid = tally.project_ids[step.project]
        explanation = explanations[pid]
        explanation.remaining_budget_when_considered = step.remaining_budget
        if step.selected:
            explanation.selected = True
            explanation.reason_code = "selected"
            selected.append(pid)
            spent += tally.costs[step.project]
        else:
            explanation.reason_code = "after_stop" if step.after_stop else "not_affordable"
    return Outcome(selected=tuple(selected), cost=as_amount(Fraction(spent)), rule=rule, explanations=explanations)


def equal_shares_outcome(tally: Tally, result: EqualSharesResult, completion: str | None) -> Outcome:
    run = result.run
    explanations = base_explanations(tally)
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
        exact_runs=result.exact_runs,
    )
