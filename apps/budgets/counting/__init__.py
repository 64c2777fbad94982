"""Counting of participatory-budget votes: Pabulib files, greedy rule, Method of Equal Shares.

Pure Python + numpy/scipy, no Django: usable from the web app, the ``pb_count`` command and
standalone scripts. Entry points::

    election = read_pabulib("vote.pb")          # or build Election(...) directly
    outcome = count(election, "equal-shares")   # completion "add1-utilitarian" by default
    outcome.selected, outcome.cost, outcome.explanations["12"].reason_code
    official = count_official(election)         # the rule the file's META declares

Rules and tie-breaking are documented in :mod:`.greedy` and :mod:`.equal_shares`, the
declared rules of Pabulib files and their variants in :mod:`.official`; in
short: ties are broken in favour of the lower cost, then of the lower project id (numeric
when every id is a number), in both rules.
"""

from __future__ import annotations

import time
from typing import Literal

from .equal_shares import equal_shares
from .greedy import greedy_pass
from .official import RuleVariant, UnsupportedRuleError, count_official, official_variant
from .outcomes import equal_shares_outcome, greedy_outcome
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
    "RuleVariant",
    "UnsupportedRuleError",
    "VoteType",
    "count",
    "count_official",
    "official_variant",
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


def _count_greedy(tally: Tally) -> Outcome:
    return greedy_outcome(tally, greedy_pass(tally, range(tally.num_projects), tally.budget))


def _count_equal_shares(tally: Tally, completion: str | None) -> Outcome:
    return equal_shares_outcome(tally, equal_shares(tally, completion), completion)
