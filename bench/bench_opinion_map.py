"""Benchmark of the consultations opinion map (issue 13): time and peak memory at 10k, 100k and
1M votes, the largest being the issue's anchor (40,000 participants × 5,000 statements, 1,000,000
votes: red-dwarf took 195 s and 10 GB; target ≤ 10 s and ≤ 1.5 GB on this 2-core machine).

Run: ``.venv/bin/python bench/bench_opinion_map.py [--quick]`` (a script, not a timed test;
``--quick`` skips the 1M case).

Each case runs in fresh processes, so that the peak resident memory (``ru_maxrss``) is the
case's own:

1. *engine*: generate the conversation in memory (planted opinion groups, see
   ``apps.consultations.opinion.synthetic``) and time ``compute_map`` alone;
2. *command*: ``manage.py opinion_map --comments … --votes … --json`` on the Polis openData CSVs
   of the same conversation, as an auditor would run it (CSV parsing included).

It prints, per case: votes, seconds and peak MB of each path, the groups found, and the adjusted
Rand index of the groups against the planted ones on the in-conversation participants (and on
those with ≥ 20 votes: participants with 7 votes out of thousands of statements are honestly
ambiguous).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = (("10k", 400, 50, 10_000), ("100k", 4_000, 500, 100_000), ("1M", 40_000, 5_000, 1_000_000))


def engine_child(participants: int, statements: int, votes: int, out_dir: str | None) -> None:
    import numpy as np

    from apps.consultations.opinion import compute_map
    from apps.consultations.opinion.synthetic import adjusted_rand_index, planted_conversation
    from apps.consultations.polis_csv import PolisComment, PolisVotes, write_comments, write_votes

    planted = planted_conversation(participants=participants, statements=statements, votes=votes, seed=13)
    matrix = planted.matrix
    started_cpu, started = time.process_time(), time.perf_counter()
    opinion = compute_map(matrix)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    truth = planted.groups[matrix.participant_ids]
    placed = opinion.in_conversation
    heavy = opinion.votes >= 20
    result = {
        "votes": matrix.n_votes,
        "seconds": round(seconds, 2),
        "cpu": round(cpu, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "in_conversation": int(placed.sum()),
        "groups": [int(n) for n in np.bincount(opinion.groups[placed], minlength=opinion.n_groups)],
        "ari": round(adjusted_rand_index(truth[placed], opinion.groups[placed]), 3),
        "ari_20_votes": round(adjusted_rand_index(truth[heavy], opinion.groups[heavy]), 3),
    }
    if out_dir:
        # The CSVs of the same conversation for the command path (voter ids as planted).
        directory = Path(out_dir)
        (directory / "votes.csv").write_text(
            write_votes(
                PolisVotes(
                    timestamps=np.arange(matrix.n_votes, dtype=np.int64),
                    comment_ids=matrix.statement_ids[matrix.cols],
                    voter_ids=matrix.participant_ids[matrix.rows],
                    votes=matrix.values.astype(np.int64),
                )
            ),
            encoding="utf-8",
        )
        (directory / "comments.csv").write_text(
            write_comments(PolisComment(int(s), 0, f"Proposition {int(s)}", 1) for s in matrix.statement_ids),
            encoding="utf-8",
        )
        truth_by_id = {int(p): int(g) for p, g in zip(matrix.participant_ids, truth, strict=True)}
        (directory / "truth.json").write_text(json.dumps(truth_by_id), encoding="utf-8")
    print(json.dumps(result))


def command_case(directory: Path) -> dict[str, object]:
    from apps.consultations.opinion.synthetic import adjusted_rand_index

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{directory / 'unused.sqlite3'}"}
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    output = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "opinion_map",
            "--comments",
            str(directory / "comments.csv"),
            "--votes",
            str(directory / "votes.csv"),
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    ).stdout
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(output.strip().splitlines()[-1])
    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    found = {voter: index for index, group in enumerate(result["groups"]) for voter in group}
    common = sorted(found)
    return {
        "command_seconds": result["seconds"],
        "process_seconds": round(wall, 2),
        # ru_maxrss of children is the largest child so far: cases run smallest first.
        "peak_mb": round(max(peak, before) / 1024),
        "ari": round(adjusted_rand_index([truth[str(v)] for v in common], [found[v] for v in common]), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", nargs=3, type=int)
    parser.add_argument("--out-dir")
    args = parser.parse_args()
    if args.child:
        participants, statements, votes = args.child
        engine_child(participants, statements, votes, args.out_dir)
        return
    print(
        f"{'case':>5} {'votes':>9} | engine s (cpu) peak MB  groups  ARI (≥20 votes)"
        " | command s  process s  peak MB  ARI"
    )
    for name, participants, statements, votes in CASES[:2] if args.quick else CASES:
        with tempfile.TemporaryDirectory(prefix="bench_opinion_") as tmp:
            engine = json.loads(
                subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        str(participants),
                        str(statements),
                        str(votes),
                        "--out-dir",
                        tmp,
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            command = command_case(Path(tmp))
        print(
            f"{name:>5} {engine['votes']:>9,} | {engine['seconds']:>8} ({engine['cpu']}) {engine['peak_mb']:>7} "
            f"{engine['groups']} {engine['ari']} ({engine['ari_20_votes']}) | {command['command_seconds']:>9} "
            f"{command['process_seconds']:>10} {command['peak_mb']:>8} {command['ari']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
