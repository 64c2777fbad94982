"""``manage.py pb_count FILE.pb --rule greedy|equal-shares [--completion add1-utilitarian|none] [--json]``.

Counts a Pabulib file with the counting library. ``--json`` prints exactly one JSON object
``{"selected": [...], "cost": ..., "seconds": ...}`` on stdout (ids as in the file, in order
of selection). For ``equal-shares`` the completion defaults to ``add1-utilitarian``;
``--completion none`` gives plain Equal Shares. A malformed file is a CommandError with its
line number and reason.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.budgets.counting import RULES, Amount, PabulibError, count, read_pabulib


def _number(value: Amount) -> int | float:
    return value if isinstance(value, int) else float(Fraction(value))


class Command(BaseCommand):
    help = "Count a participatory-budget vote stored in a Pabulib .pb file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the .pb file")
        parser.add_argument("--rule", choices=RULES, default="greedy")
        parser.add_argument(
            "--completion",
            choices=("add1-utilitarian", "none"),
            default="add1-utilitarian",
            help="completion of equal-shares (default add1-utilitarian; ignored by greedy)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            election = read_pabulib(options["file"])
        except PabulibError as exc:
            raise CommandError(f"{options['file']}: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"{options['file']}: {exc.strerror or exc}") from exc
        completion = None if options["completion"] == "none" else options["completion"]
        outcome = count(election, options["rule"], completion)
        if options["json"]:
            payload = {"selected": list(outcome.selected), "cost": _number(outcome.cost), "seconds": outcome.seconds}
            self.stdout.write(json.dumps(payload))
            return
        self.stdout.write(
            f"{options['rule']}"
            + (f" + {completion}" if options["rule"] == "equal-shares" and completion else "")
            + f": {len(outcome.selected)} projects, cost {outcome.cost} of {election.budget}"
            + f" ({outcome.seconds:.3f} s)"
        )
        self.stdout.write(f"{'project':>12}  {'cost':>12}  {'votes':>10}  {'selected':>8}  reason")
        ordered = sorted(
            outcome.explanations.values(), key=lambda x: (not x.selected, -Fraction(x.votes), x.project_id)
        )
        for ex in ordered:
            self.stdout.write(
                f"{ex.project_id:>12}  {ex.cost!s:>12}  {ex.votes!s:>10}  {'yes' if ex.selected else 'no':>8}  "
                f"{ex.reason_code}"
            )
