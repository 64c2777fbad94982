"""``manage.py pb_count FILE.pb --rule greedy|equal-shares|official [--completion ...] [--json]``.

Counts a Pabulib file with the counting library. ``--json`` prints exactly one JSON object
``{"selected": [...], "cost": ..., "seconds": ..., "rule": ..., "variant": ...}`` on stdout
(ids as in the file, in order of selection). For ``equal-shares`` the completion defaults
to ``add1-utilitarian``; ``--completion none`` gives plain Equal Shares.

``--rule official`` applies the rule the file's META declares (``rule``: ``greedy``,
``greedy-no-skip``, ``greedy-threshold``, ``equalshares``, ``equalshares/add1``, ...) with
its parameters (see :mod:`apps.budgets.counting.official`); its JSON adds
``declared_rule``, ``warnings`` (quirks of the file, e.g. a project listed twice in a
ballot, which this rule tolerates) and ``ties`` (ties that decided a winner). ``variant``
names what was applied, e.g. ``greedy/no-skip/threshold=50``.

A missing file, a malformed file (with its line number and reason) or an undeclared or
unsupported rule is a CommandError.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.budgets.counting import (
    RULES,
    Amount,
    Election,
    Outcome,
    PabulibError,
    UnsupportedRuleError,
    count,
    count_official,
    read_pabulib,
)


def _number(value: Amount) -> int | float:
    return value if isinstance(value, int) else float(Fraction(value))


class Command(BaseCommand):
    help = "Count a participatory-budget vote stored in a Pabulib .pb file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the .pb file")
        parser.add_argument(
            "--rule",
            choices=(*RULES, "official"),
            default="greedy",
            help="official: the rule declared in the file's META, with its parameters",
        )
        parser.add_argument(
            "--completion",
            choices=("add1-utilitarian", "none"),
            default="add1-utilitarian",
            help="completion of equal-shares (default add1-utilitarian; ignored by the other rules)",
        )
        parser.add_argument(
            "--tie-breaking",
            choices=("min-cost", "max-votes"),
            default="min-cost",
            help="official rule: equal scores go to the lower cost (default) or to more voters first",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        if not Path(name).is_file():
            raise CommandError(f"{name}: no such file")
        official = options["rule"] == "official"
        try:
            election = read_pabulib(Path(name), lenient=official)
        except PabulibError as exc:
            raise CommandError(f"{name}: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"{name}: {exc.strerror or exc}") from exc
        completion = None if options["completion"] == "none" else options["completion"]
        if official:
            try:
                outcome = count_official(election, tie_breaking=options["tie_breaking"])
            except UnsupportedRuleError as exc:
                raise CommandError(f"{name}: {exc}") from exc
            label = f"official ({election.meta.get('rule')}: {outcome.variant})"
        else:
            outcome = count(election, options["rule"], completion)
            outcome.variant = options["rule"] + (
                f"/{completion}" if options["rule"] == "equal-shares" and completion else ""
            )
            label = options["rule"] + (f" + {completion}" if options["rule"] == "equal-shares" and completion else "")
        if options["json"]:
            self.stdout.write(json.dumps(self._payload(election, outcome, official)))
            return
        self._table(election, outcome, label)

    def _payload(self, election: Election, outcome: Outcome, official: bool) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "selected": list(outcome.selected),
            "cost": _number(outcome.cost),
            "seconds": outcome.seconds,
            "rule": outcome.rule,
            "variant": outcome.variant,
        }
        if official:
            payload["declared_rule"] = election.meta.get("rule")
            payload["warnings"] = outcome.warnings
            payload["ties"] = outcome.ties
        return payload

    def _table(self, election: Election, outcome: Outcome, label: str) -> None:
        self.stdout.write(
            f"{label}: {len(outcome.selected)} projects, cost {outcome.cost} of {election.budget}"
            + f" ({outcome.seconds:.3f} s)"
        )
        for line in (*outcome.warnings, *outcome.ties):
            self.stdout.write(f"note: {line}")
        self.stdout.write(f"{'project':>12}  {'cost':>12}  {'votes':>10}  {'selected':>8}  reason")
        ordered = sorted(
            outcome.explanations.values(), key=lambda x: (not x.selected, -Fraction(x.votes), x.project_id)
        )
        for ex in ordered:
            self.stdout.write(
                f"{ex.project_id:>12}  {ex.cost!s:>12}  {ex.votes!s:>10}  {'yes' if ex.selected else 'no':>8}  "
                f"{ex.reason_code}"
            )
