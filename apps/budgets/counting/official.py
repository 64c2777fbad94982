"""Official outcomes: count a Pabulib election with the rule its city declared.

Pabulib files state in META the rule the city applied (``rule``) and, for most, the
official winners (``selected`` column of PROJECTS). :func:`official_variant` maps the
declared rule and its META parameters to a :class:`RuleVariant`, :func:`count_official`
applies it. The declared rules and how each is applied:

- ``greedy``: projects by decreasing score; a project that does not fit is skipped and
  the count goes on with the next one (:func:`.greedy.greedy_pass`).
- ``greedy-no-skip``: the count stops at the first project that does not fit (Gdynia,
  Wrocław).
- ``greedy-threshold``: only projects whose score reaches ``min_project_score_threshold``
  are eligible (score >= threshold), then ``greedy``. The threshold is applied whenever
  the key is present, whatever the greedy variant (Gdynia declares ``greedy-no-skip``
  with a threshold of 50 votes).
- ``equalshares``: the Method of Equal Shares with the budget B/n per voter, no completion.
- ``equalshares/add1``: MES with the Add1 completion as Pabulib and equalshares.net define
  it: the per-voter budget is raised one currency unit at a time up to the last outcome
  that does not overspend (or until every supported project is funded), and nothing
  else: no greedy fill afterwards. (Assen's official outcome leaves 23,300 EUR unspent
  although a 12,000 EUR project fitted; Świecie's outcome is the same with or without
  the fill.)
- ``equalshares/add1-comparison`` (Wieliczka): the same Add1, then the comparison step:
  the outcome of the utilitarian greedy rule replaces MES's if more voters prefer it
  (a voter prefers the outcome that funds more of the projects they voted for) than
  prefer MES's. Wieliczka's Add1 went past the first exhaustive outcome (per-voter budget
  B/n + 150) to B/n + 164, which swaps project 46 in for 66 and 67: the stop at the first
  exhaustive outcome (our default ``add1-utilitarian``) does not reproduce it.
- ``equalshares-comparison``: MES without completion, then the comparison step.

``greedy-exclusive``, ``greedy-custom`` and ``unknown`` describe rules with city-specific
constraints (conflicting projects, Poznań's 80 % rule, ...) that META does not parametrise:
they raise :class:`UnsupportedRuleError`, as does a file without ``rule``.

Scores. Approval: the number of voters who approved the project; cumulative and scoring:
the points they gave; ordinal: positional points, ``k - i`` for the project at 0-based
position i with k = ``max_length`` when META declares it (else the ballot's length), the
"3, 2, 1" of Kraków's ballots, which the PROJECTS ``score`` column of every Kraków file
confirms (the Borda utilities of Equal Shares, ``L - 1 - i``, would rank differently).
Scores are always computed from the ballots; a ``votes`` / ``score`` column that
disagrees is reported in ``Outcome.warnings``.

Ties. Equal scores (greedy) are broken by the lower cost, then the lower project id, or
with ``tie_breaking="max-votes"`` first by the larger number of voters (for points-based
votes); exactly equal Equal Shares prices as in :mod:`.equal_shares`. Pabulib files do
not state how a city broke ties (some drew lots), so every count is redone with the
tie-breaking order reversed: when the winners differ, a tie decided and
``Outcome.ties`` names the projects concerned.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .equal_shares import equal_shares
from .greedy import GreedyStep, greedy_pass
from .outcomes import equal_shares_outcome, greedy_outcome
from .pabulib import parse_amount
from .profiles import Amount, Election, Outcome, as_amount
from .tally import Tally, compile_election

THRESHOLD_KEY = "min_project_score_threshold"
TieBreaking = Literal["min-cost", "max-votes"]
SUPPORTED_RULES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "equalshares",
    "equalshares-comparison",
    "equalshares/add1",
    "equalshares/add1-comparison",
)


class UnsupportedRuleError(ValueError):
    """The file declares no rule, or one that META does not describe fully."""


@dataclass(frozen=True)
class RuleVariant:
    """A declared rule with its parameters, as applied by :func:`count_official`."""

    declared: str  # the META ``rule`` as written in the file
    family: Literal["greedy", "equal-shares"]
    threshold: Amount | None = None  # greedy: minimum score to be eligible
    stop_at_first_misfit: bool = False  # greedy-no-skip
    add1: bool = False  # equal shares: Add1 completion
    until: Literal["exhaustive", "overspend"] = "overspend"  # where Add1 stops
    greedy_fill: bool = False  # equal shares: utilitarian greedy pass at the end
    comparison: bool = False  # equal shares: comparison step with the greedy outcome
    tie_breaking: TieBreaking = "min-cost"

    @property
    def name(self) -> str:
        """A stable identifier of the variant, e.g. ``greedy/no-skip/threshold=50``."""
        if self.family == "greedy":
            parts = ["greedy", "no-skip" if self.stop_at_first_misfit else "skip"]
            if self.threshold is not None:
                parts.append(f"threshold={self.threshold}")
        else:
            parts = ["equal-shares"]
            if self.add1:
                parts.append(f"add1-until-{self.until}")
            if self.greedy_fill:
                parts.append("greedy-fill")
            if self.comparison:
                parts.append("comparison")
        if self.tie_breaking != "min-cost":
            parts.append(f"ties={self.tie_breaking}")
        return "/".join(parts)


def official_variant(meta: dict[str, str], tie_breaking: TieBreaking = "min-cost") -> RuleVariant:
    """The variant of the rule declared in ``meta`` (see the module docstring)."""
    declared = meta.get("rule", "").strip()
    if not declared:
        raise UnsupportedRuleError("the file declares no rule (no 'rule' in META)")
    if declared not in SUPPORTED_RULES:
        raise UnsupportedRuleError(
            f"rule '{declared}' is not supported (supported: {', '.join(SUPPORTED_RULES)}):"
            " its constraints are not described in META"
        )
    if declared.startswith("greedy"):
        threshold = _threshold(meta)
        if declared == "greedy-threshold" and threshold is None:
            raise UnsupportedRuleError(f"rule 'greedy-threshold' without '{THRESHOLD_KEY}' in META")
        return RuleVariant(
            declared=declared,
            family="greedy",
            threshold=threshold,
            stop_at_first_misfit=declared == "greedy-no-skip",
            tie_breaking=tie_breaking,
        )
    return RuleVariant(
        declared=declared,
        family="equal-shares",
        add1="/add1" in declared,
        comparison=declared.endswith("comparison"),
        tie_breaking=tie_breaking,
    )


def _threshold(meta: dict[str, str]) -> Amount | None:
    raw = meta.get(THRESHOLD_KEY, "").strip()
    if not raw:
        return None
    try:
        return as_amount(parse_amount(raw))
    except (ValueError, ZeroDivisionError):
        raise UnsupportedRuleError(f"{THRESHOLD_KEY} '{raw}' is not a number") from None


def count_official(
    election: Election, variant: RuleVariant | None = None, tie_breaking: TieBreaking = "min-cost"
) -> Outcome:
    """Count ``election`` with the rule its META declares (or with ``variant``)."""
    started = time.perf_counter()
    if variant is None:
        variant = official_variant(election.meta, tie_breaking)
    tally = compile_election(election)
    scores = official_scores(election, tally)
    if variant.tie_breaking == "max-votes":
        tally = dataclasses.replace(tally, tie_rank=_max_votes_rank(tally))
    if variant.family == "greedy":
        outcome = _greedy(tally, scores, variant)
        reversed_outcome = _greedy(_reversed_ties(tally), scores, variant)
    else:
        outcome = _equal_shares(tally, variant)
        reversed_outcome = _equal_shares(_reversed_ties(tally), variant)
    outcome.rule = "official"
    outcome.variant = variant.name
    outcome.warnings[:0] = [*election.warnings, *_score_column_warnings(election, tally, scores)]
    outcome.ties = _deciding_ties(tally, scores, outcome, reversed_outcome)
    outcome.seconds = time.perf_counter() - started
    return outcome


# ---------------------------------------------------------------------- scores


def official_scores(election: Election, tally: Tally) -> list[Amount]:
    """The score each project is ranked by (see the module docstring)."""
    if election.vote_type != "ordinal":
        return list(tally.scores)
    index = {pid: i for i, pid in enumerate(tally.project_ids)}
    declared = election.meta.get("max_length", "").strip()
    top = int(declared) if declared.isdigit() else 0
    totals = [0] * tally.num_projects
    for ballot, count in election.ballots.grouped():
        k = max(top, len(ballot))
        for position, pid in enumerate(ballot):
            totals[index[pid]] += (k - position) * count
    return list(totals)


def _score_column_warnings(election: Election, tally: Tally, scores: list[Amount]) -> list[str]:
    column = "votes" if election.vote_type == "approval" else "score"
    differing: list[str] = []
    for p, project in enumerate(election.projects):
        raw = project.extra.get(column, "").strip()
        if not raw:
            continue
        try:
            declared = parse_amount(raw)
        except (ValueError, ZeroDivisionError):
            continue
        if declared != scores[p]:
            differing.append(f"{project.id} ({raw} in the file, {scores[p]} counted)")
    if not differing:
        return []
    shown = ", ".join(differing[:5]) + (f" and {len(differing) - 5} more" if len(differing) > 5 else "")
    return [f"the '{column}' column of PROJECTS differs from the ballots for {shown}"]


# ---------------------------------------------------------------------- rules


def _greedy(tally: Tally, scores: list[Amount], variant: RuleVariant) -> Outcome:
    threshold = variant.threshold
    eligible = [p for p in range(tally.num_projects) if threshold is None or scores[p] >= threshold]
    steps = greedy_pass(tally, eligible, tally.budget, scores=scores, stop_at_first_misfit=variant.stop_at_first_misfit)
    outcome = greedy_outcome(tally, steps)
    for p in range(tally.num_projects):
        explanation = outcome.explanations[tally.project_ids[p]]
        explanation.votes = scores[p]
        if threshold is not None and scores[p] < threshold and tally.supporters[p]:
            explanation.reason_code = "below_threshold"
    return outcome


def _equal_shares(tally: Tally, variant: RuleVariant) -> Outcome:
    completion = "add1-utilitarian" if variant.add1 else None
    result = equal_shares(tally, completion, until=variant.until, greedy_fill=variant.greedy_fill)
    outcome = equal_shares_outcome(tally, result, completion)
    outcome.completion = "add1" if variant.add1 else None
    if variant.comparison:
        greedy_steps = greedy_pass(tally, range(tally.num_projects), tally.budget)
        index = {pid: p for p, pid in enumerate(tally.project_ids)}
        prefers_mes, prefers_greedy = compare_outcomes(tally, [index[pid] for pid in outcome.selected], greedy_steps)
        if prefers_greedy > prefers_mes:
            outcome = greedy_outcome(tally, greedy_steps, rule="equal-shares")
            outcome.completion = "comparison: greedy"
        outcome.warnings.append(
            f"comparison step: {prefers_mes} voters prefer the Equal Shares outcome, {prefers_greedy} the greedy one"
        )
    return outcome


def compare_outcomes(tally: Tally, mes_selected: list[int], greedy_steps: list[GreedyStep]) -> tuple[int, int]:
    """Voters who prefer each outcome: (prefer MES, prefer greedy).

    A voter's satisfaction is the number of funded projects they voted for (with points,
    the points they gave to funded projects); equal satisfactions count for neither.
    """
    mes = np.zeros(tally.num_projects, dtype=np.int64)
    mes[mes_selected] = 1
    greedy = np.zeros(tally.num_projects, dtype=np.int64)
    greedy[[s.project for s in greedy_steps if s.selected]] = 1
    sat_mes = tally.rows @ mes
    sat_greedy = tally.rows @ greedy
    weights = tally.weights
    return int(weights[sat_mes > sat_greedy].sum()), int(weights[sat_greedy > sat_mes].sum())


# ---------------------------------------------------------------------- ties


def _reversed_ties(tally: Tally) -> Tally:
    last = tally.num_projects - 1
    return dataclasses.replace(tally, tie_rank=[last - r for r in tally.tie_rank])


def _max_votes_rank(tally: Tally) -> list[int]:
    order = sorted(range(tally.num_projects), key=lambda p: (-tally.supporters[p], tally.tie_rank[p]))
    rank = [0] * tally.num_projects
    for position, p in enumerate(order):
        rank[p] = position
    return rank


def _deciding_ties(tally: Tally, scores: list[Amount], outcome: Outcome, reversed_outcome: Outcome) -> list[str]:
    ours, theirs = set(outcome.selected), set(reversed_outcome.selected)
    if ours == theirs:
        return []
    index = {pid: p for p, pid in enumerate(tally.project_ids)}
    won = sorted(ours - theirs, key=lambda pid: index[pid])
    lost = sorted(theirs - ours, key=lambda pid: index[pid])
    described = ", ".join(f"{pid} (score {scores[index[pid]]}, cost {tally.costs[index[pid]]})" for pid in won + lost)
    return [
        f"a tie decided: with the reverse tie-breaking order, {', '.join(lost)} would win instead of"
        f" {', '.join(won)} — {described}"
    ]


__all__ = [
    "SUPPORTED_RULES",
    "RuleVariant",
    "UnsupportedRuleError",
    "compare_outcomes",
    "count_official",
    "official_scores",
    "official_variant",
]
