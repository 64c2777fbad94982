"""The greedy rule ("les plus votés dans la limite de l'enveloppe").

Projects are considered in decreasing order of score (approvals, total points or total
Borda points, see :mod:`.tally`); a project is funded when its cost fits in what is left of
the budget, otherwise it is skipped and the next one is considered (it is *not* the end of
the count: a cheaper, less popular project may still fit). Projects nobody voted for are
never funded.

Ties between equal scores: lower cost first, then lower project id (numeric when every id
is a number) — the order of :func:`.profiles.tie_break_keys`.

With approval ballots this is pabutools' ``greedy_utilitarian_welfare`` with ``Cost_Sat``
(whose score per unit of cost is the number of approvals), with the same tie-breaking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .profiles import Amount
from .tally import Tally


@dataclass
class GreedyStep:
    project: int
    selected: bool
    remaining_budget: Amount  # before the project was considered


def greedy_order(tally: Tally, candidates: Iterable[int]) -> list[int]:
    """Candidates by decreasing score, ties by the tie-breaking order."""
    return sorted(candidates, key=lambda p: (-tally.scores[p], tally.tie_rank[p]))


def greedy_pass(tally: Tally, candidates: Iterable[int], budget: Amount) -> list[GreedyStep]:
    """Fund the candidates greedily within ``budget``; projects with no vote are ignored."""
    steps: list[GreedyStep] = []
    remaining = budget
    for p in greedy_order(tally, candidates):
        if tally.supporters[p] == 0:
            continue
        cost = tally.costs[p]
        fits = cost <= remaining
        steps.append(GreedyStep(project=p, selected=fits, remaining_budget=remaining))
        if fits:
            remaining -= cost
    return steps
