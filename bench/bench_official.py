"""Official outcomes of real Pabulib elections: ``count_official`` against each file's ``selected``.

    .venv/bin/python bench/bench_official.py                    # /work/shared/bench-data/pabulib-official
    .venv/bin/python bench/bench_official.py --data DIR         # any directory of .pb files

For every file: the declared rule, the variant applied, whether our winners equal the
official ones (files without a ``selected`` column or with an unsupported rule are listed
but not counted), the CPU seconds of reading and of counting (the count includes the
recount with the reverse tie-breaking order that detects deciding ties), and whether the
library's plain rule (greedy, or Equal Shares + add1-utilitarian) would have matched too.
Ends with matched / total and the total CPU time, as a markdown table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.budgets.counting import (  # noqa: E402
    PabulibError,
    UnsupportedRuleError,
    count,
    count_official,
    read_pabulib,
)

DATA = Path("/work/shared/bench-data/pabulib-official")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    header = ["file", "voters", "declared rule", "variant", "read CPU s", "count CPU s", "official", "plain rule"]
    rows: list[list[str]] = []
    matched = total = 0
    cpu_total = 0.0
    for path in sorted(args.data.glob("*.pb")):
        started = time.process_time()
        try:
            election = read_pabulib(path, lenient=True)
        except PabulibError as exc:
            rows.append([path.stem, "", "", f"unreadable: {exc}", "", "", "", ""])
            continue
        read_cpu = time.process_time() - started
        has_selected = bool(election.projects) and "selected" in election.projects[0].extra
        expected = {p.id for p in election.projects if p.extra.get("selected") == "1"}
        started = time.process_time()
        try:
            outcome = count_official(election)
        except UnsupportedRuleError as exc:
            rows.append(
                [path.stem, f"{election.num_voters:,}", election.meta.get("rule", ""), str(exc), "", "", "", ""]
            )
            continue
        count_cpu = time.process_time() - started
        cpu_total += read_cpu + count_cpu
        family = "greedy" if outcome.variant and outcome.variant.startswith("greedy") else "equal-shares"
        plain = set(count(election, family).selected) == expected if has_selected else None
        verdict = "no selected column"
        if has_selected:
            total += 1
            ok = set(outcome.selected) == expected
            matched += ok
            verdict = "yes" if ok else f"NO (missing {sorted(expected - set(outcome.selected))})"
        if outcome.ties:
            verdict += " (tie decided)"
        rows.append(
            [
                path.stem,
                f"{election.num_voters:,}",
                election.meta.get("rule", ""),
                outcome.variant or "",
                f"{read_cpu:.3f}",
                f"{count_cpu:.3f}",
                verdict,
                "" if plain is None else ("yes" if plain else "no"),
            ]
        )
        print(" | ".join(rows[-1]), flush=True)
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    share = f"{100 * matched / total:.1f} %" if total else "n/a"
    print(f"\nofficial outcomes reproduced: {matched} / {total} ({share}); CPU {cpu_total:.2f} s in all")


if __name__ == "__main__":
    main()
