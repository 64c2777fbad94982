"""Benchmark of the participatory-budget counting library (apps/budgets/counting).

    .venv/bin/python bench/bench_counting.py            # real files + 500,000 generated ballots
    .venv/bin/python bench/bench_counting.py --quick    # 50,000 generated ballots, shorter timeouts
    .venv/bin/python bench/bench_counting.py --pabutools-timeout 600
    .venv/bin/python bench/bench_counting.py --scale-only --file Hungary_Budapest_2024_VIII_Jozsefvaros.pb

Counts every Pabulib file of /work/shared/bench-data/pabulib and a generated approval
election (300 projects) with greedy, Equal Shares and Equal Shares + add1, prints our time
next to pabutools' (same definitions, same tie-breaking: tests/budgets/counting/
pabutools_bridge.py) and whether the selected sets are identical, as a markdown table.
pabutools runs in a child process killed after --pabutools-timeout seconds; on the
generated election it runs on a 5,000-ballot subsample (and we count the same subsample),
since it needs minutes for one Equal Shares run on the full profile.

Then "Equal Shares + add1 at scale": Toulouse, every file whose name has "Budapest" (from
the data directory or --file) and a generated city-scale election in a large currency unit
(20,000 voters, costs x 100: thousands of add1 units), each counted in a fresh process, which
prints CPU seconds, wall seconds, the number of MES runs add1 made (how many of them exact:
the others are the batched floating-point runs of apps/budgets/counting/mes_screen.py) and
the process's peak resident memory (Python and numpy included, about 60 MB before counting).
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing as mp
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.budgets.counting import Election, Profile, Project, count, read_pabulib  # noqa: E402

DATA = Path("/work/shared/bench-data/pabulib")
RULES = [("greedy", None), ("equal-shares", None), ("equal-shares", "add1-utilitarian")]


def generate(num_voters: int, num_projects: int = 300, seed: int = 2026) -> Election:
    """Approval election: costs 10k-500k (log-uniform), budget 40 % of the total cost,
    each voter approves 1-15 projects drawn without replacement with Zipf-like popularity."""
    rng = np.random.default_rng(seed)
    costs = np.round(np.exp(rng.uniform(np.log(10_000), np.log(500_000), num_projects)), -3).astype(np.int64)
    popularity = 1.0 / np.arange(1, num_projects + 1) ** 0.8
    log_p = np.log(popularity[rng.permutation(num_projects)])
    ids = [str(i + 1) for i in range(num_projects)]
    lengths = rng.integers(1, 16, num_voters)
    ballots: list[frozenset[str]] = []
    chunk = 20_000
    for start in range(0, num_voters, chunk):
        size = min(chunk, num_voters - start)
        # Gumbel top-k: k draws without replacement proportional to popularity.
        keys = log_p + rng.gumbel(size=(size, num_projects))
        order = np.argsort(-keys, axis=1)[:, :15]
        for row, length in zip(order, lengths[start : start + size], strict=True):
            ballots.append(frozenset(ids[j] for j in row[:length]))
    projects = tuple(Project(id=ids[i], cost=int(costs[i])) for i in range(num_projects))
    return Election(projects=projects, ballots=Profile(ballots), budget=int(costs.sum() * 2 // 5), vote_type="approval")


def subsample(election: Election, size: int, seed: int = 7) -> Election:
    rng = np.random.default_rng(seed)
    keep = sorted(rng.choice(len(election.ballots), size=size, replace=False).tolist())
    ballots = [election.ballots[i] for i in keep]
    budget = election.budget * size // len(election.ballots)
    return Election(projects=election.projects, ballots=Profile(ballots), budget=budget, vote_type="approval")


def _pabutools_child(election: Election, rule: str, completion: str | None, queue: Any) -> None:
    from tests.budgets.counting.pabutools_bridge import pabutools_count

    started = time.perf_counter()
    selected = pabutools_count(election, rule, completion)
    queue.put((selected, time.perf_counter() - started))


def pabutools_timed(election: Election, rule: str, completion: str | None, timeout: float) -> tuple[Any, float]:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_pabutools_child, args=(election, rule, completion, queue))
    child.start()
    try:
        selected, seconds = queue.get(timeout=timeout)
    except Exception:
        selected, seconds = None, timeout
    child.join(timeout=1)
    if child.is_alive():
        child.terminate()  # our own child, by its handle
        child.join()
    return selected, seconds


def scale_child(spec: str) -> None:
    """Count one election with Equal Shares + add1 and print one line (run in a fresh process)."""
    if spec.startswith("generated:"):
        voters, factor = (int(x) for x in spec.split(":")[1:])
        election = generate(voters, num_projects=60)
        election = dataclasses.replace(
            election,
            projects=tuple(Project(id=p.id, cost=p.cost * factor) for p in election.projects),
            budget=election.budget * factor,
        )
    else:
        election = read_pabulib(Path(spec))
    cpu, wall = time.process_time(), time.perf_counter()
    outcome = count(election, "equal-shares", "add1-utilitarian")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    status = Path("/proc/self/status").read_text()
    peak_kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    peak_mb = peak_kb / 1024 or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runs = f"{outcome.runs} ({outcome.exact_runs} exact)"
    print(f"{cpu:.2f}|{wall:.2f}|{runs}|{peak_mb:.0f}|{len(election.ballots)}", flush=True)


def add1_at_scale(extra: list[Path]) -> None:
    specs = [(p.stem, str(p)) for p in [DATA / "France_Toulouse_2024.pb", *extra] if p.exists()]
    specs += [(p.stem, str(p)) for p in sorted(DATA.glob("*Budapest*.pb")) if str(p) not in dict(specs).values()]
    specs.append(("generated 20k, costs x 100", "generated:20000:100"))
    print()
    print("| instance | voters | CPU (s) | wall (s) | MES runs | peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    for name, spec in specs:
        line = subprocess.run(
            [sys.executable, __file__, "--scale-child", spec], capture_output=True, text=True, check=True
        ).stdout.strip()
        cpu, wall, runs, peak, voters = line.split("|")
        print(f"| {name} | {int(voters):,} | {cpu} | {wall} | {runs} | {peak} |", flush=True)


def rule_label(rule: str, completion: str | None) -> str:
    return "greedy" if rule == "greedy" else ("MES + add1" if completion else "MES")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="50,000 generated ballots instead of 500,000")
    parser.add_argument("--pabutools-timeout", type=float, default=None, help="seconds (default 300, quick 60)")
    parser.add_argument("--no-pabutools", action="store_true", help="only our timings")
    parser.add_argument("--file", type=Path, action="append", default=[], help="another .pb file (repeatable)")
    parser.add_argument("--scale-only", action="store_true", help="only the add1-at-scale table")
    parser.add_argument("--scale-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_child:
        scale_child(args.scale_child)
        return
    if args.scale_only:
        add1_at_scale(args.file)
        return
    timeout = args.pabutools_timeout or (60.0 if args.quick else 300.0)
    voters = 50_000 if args.quick else 500_000

    instances: list[tuple[str, Election, Election | None, str]] = []
    for path in sorted([*DATA.glob("*.pb"), *args.file], key=lambda p: -p.stat().st_size):
        election = read_pabulib(path)
        instances.append((path.stem, election, election, ""))
    started = time.perf_counter()
    generated = generate(voters)
    print(
        f"generated {voters:,} ballots in {time.perf_counter() - started:.1f} s "
        f"({len(generated.ballots.grouped()):,} distinct)",
        flush=True,
    )
    sample = subsample(generated, 5_000)
    instances.append((f"generated {voters // 1000}k", generated, None, ""))
    instances.append(("generated, 5k subsample", sample, sample, ""))

    rows = []
    for name, election, reference, _ in instances:
        for rule, completion in RULES:
            outcome = count(election, rule, completion)
            if reference is None or args.no_pabutools:
                theirs, their_seconds, verdict = None, None, "not run (see 5k subsample)"
            else:
                theirs, their_seconds = pabutools_timed(reference, rule, completion, timeout)
                if theirs is None:
                    verdict = f"pabutools timed out (> {timeout:.0f} s)"
                else:
                    verdict = "yes" if theirs == set(outcome.selected) else "**NO**"
            row = (
                name,
                f"{len(election.ballots):,}",
                str(len(election.projects)),
                rule_label(rule, completion),
                f"{outcome.seconds:.2f}",
                f"{outcome.runs} ({outcome.exact_runs} exact)" if completion else "",
                "" if their_seconds is None else (f"{their_seconds:.2f}" if theirs is not None else f"> {timeout:.0f}"),
                verdict,
            )
            rows.append(row)
            print(" | ".join(row), flush=True)

    header = ("instance", "voters", "projects", "rule", "ours (s)", "MES runs", "pabutools (s)", "identical")
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    add1_at_scale(args.file)


if __name__ == "__main__":
    main()
