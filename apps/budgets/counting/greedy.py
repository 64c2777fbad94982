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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .profiles import Amount
from .tally import Tally


@dataclass
class GreedyStep:
    project: int
    selected: bool
    remaining_budget: Amount  # before the project was considered
    after_stop: bool = False  # greedy-no-skip: considered after the count stopped


def greedy_order(
    tally: Tally,
    candidates: Iterable[int],
    scores: Sequence[Amount] | None = None,
    tie_rank: Sequence[int] | None = None,
) -> list[int]:
    """Candidates by decreasing score, ties by the tie-breaking order.

    ``scores`` and ``tie_rank`` replace the tally's own (official points of an ordinal
    vote, another tie-breaking order: see :mod:`.official`).
    """
    score = tally.scores if scores is None else scores
    rank = tally.tie_rank if tie_rank is None else tie_rank
    return sorted(candidates, key=lambda p: (-score[p], rank[p]))


def greedy_pass(
    tally: Tally,
    candidates: Iterable[int],
    budget: Amount,
    *,
    scores: Sequence[Amount] | None = None,
    tie_rank: Sequence[int] | None = None,
    stop_at_first_misfit: bool = False,
) -> list[GreedyStep]:
    """Fund the candidates greedily within ``budget``; projects with no vote are ignored.

    With ``stop_at_first_misfit`` (Pabulib's ``greedy-no-skip``), the count ends at the
    first project that does not fit: it and every project after it are steps with
    ``selected=False``.
    """
    steps: list[GreedyStep] = []
    remaining = budget
    stopped = False
    for p in greedy_order(tally, candidates, scores, tie_rank):
        if tally.supporters[p] == 0:
            continue
        cost = tally.costs[p]
        fits = not stopped and cost <= remaining
        steps.append(GreedyStep(project=p, selected=fits, remaining_budget=remaining, after_stop=stopped))
        if fits:
            remaining -= cost
        elif stop_at_first_misfit:
            stopped = True
    return steps
