"""Fidelity of the opinion map to Polis itself (issue 13): on the real public conversations of
``/work/shared/bench-data/polis/`` (Polis openData, CC BY 4.0), the adjusted Rand index between
our groups and Polis' own ``group-id`` column of ``participants-votes.csv``, on the participants
both place.

Two figures per conversation:

* *fresh*: the map computed from ``votes.csv`` and ``comments.csv`` alone, as the
  ``opinion_map`` command does;
* *imported*: the same, carrying over Polis' "in conversation" set (the participants its export
  places in a group). Polis keeps that set from one computation to the next (once in, always in),
  and in old conversations it holds participants placed under earlier rules (football-concussions:
  1,434 placed, 852 of them with fewer than 7 votes), which no rule on the final votes recovers;
  an imported conversation keeps it, as Polis does;
* *imported, Polis' start*: the same with the groups' k-means started only where Polis starts it
  (its first distinct points; ``compute_map(polis_start=True)``, ``opinion_map --polis-start``),
  instead of keeping the lowest inertia of several starts;
* *count*: fresh placement, and Polis' count of groups carried over (its k smoother's state, which
  our live map carries too: ``map_state``);
* *set + count*: both Polis' in-conversation set and its count of groups carried over.

Run: ``.venv/bin/python bench/bench_polis_fidelity.py [DATA_DIR]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = Path("/work/shared/bench-data/polis")


def main() -> None:
    from apps.consultations.polis_fidelity import fidelity

    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    print(
        f"{'conversation':<30} {'placed':>13} {'groups':>8} {'ARI fresh':>9} {'imported':>9}"
        f" {'Polis start':>11} {'count':>7} {'set+count':>9} {'s':>6}"
    )
    for directory in sorted(path for path in data.iterdir() if (path / "participants-votes.csv").exists()):
        started = time.perf_counter()
        fresh = fidelity(directory, import_placed=False)
        imported = fidelity(directory, import_placed=True)
        polis = fidelity(directory, import_placed=True, polis_start=True)
        count = fidelity(directory, import_count=True)
        both = fidelity(directory, import_placed=True, import_count=True)
        print(
            f"{directory.name:<30} {fresh.common:>5}/{fresh.polis_placed:<7} "
            f"{fresh.groups:>3} / {fresh.polis_groups:<2} {fresh.ari:>9.3f} {imported.ari:>9.3f} {polis.ari:>11.3f} "
            f"{count.ari:>7.3f} {both.ari:>9.3f} "
            f"{time.perf_counter() - started:>6.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
