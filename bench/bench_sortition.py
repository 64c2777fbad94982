"""Benchmark of the sortition engine: leximin (and legacy for comparison) on public and generated pools.

Run: ``.venv/bin/python bench/bench_sortition.py [--quick] [--only NAME] [--profile] [--engine-root DIR]``
(a script, not a timed test). ``--profile`` prints leximin's work (per stage on the exact fallback).
``--engine-root`` imports ``apps.sortition.engine`` from another checkout (e.g. an export of the previous
commit) to print the "before" figures on the same pools.

Instances: the two public pools of ``/work/shared/bench-data/sortition/`` and generated pools shaped
like real ones (see ``generate_pool``): 360 people / panel 30 / 7 categories, 1,000 / 75 / 5 and
2,000 / 200 / 2. For each pool: CPU and wall seconds of leximin, its minimum probability, the
optimum of the maximin LP computed independently (SciPy's ``linprog`` and ``milp``, column
generation seeded with leximin's panels and run until no panel improves it), the first ten
leximin levels and the number of panels generated and kept.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import logging
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("/work/shared/bench-data/sortition")
#: How much more likely an engaged volunteer is to have the last value of a category than the first.
VOLUNTEER_TILT = 2.0
FEATURE_NAMES = {
    "genre": ["femme", "homme", "autre"],
    "age": ["16-24", "25-34", "35-49", "50-64", "65-79", "80+"],
    "quartier": ["Centre", "Nord", "Est", "Sud", "Ouest", "Île"],
    "diplome": ["aucun", "CAP-BEP", "bac", "bac+2", "bac+5"],
    "logement": ["locataire social", "locataire privé", "propriétaire"],
    "activite": ["emploi", "chômage", "étudiant", "retraité"],
    "qpv": ["oui", "non"],
}
#: Imported in ``main`` (from ``--engine-root`` when given).
engine: Any = None
quotas_module: Any = None


def generate_pool(n: int, panel_size: int, n_categories: int, seed: int) -> tuple[bytes, bytes]:
    """Respondents and categories CSV files shaped like real pools; quotas close to proportional.

    Feature shares of the population are skewed (a Dirichlet-like draw, so some values are rare),
    and volunteers are not a mirror of the population: a hidden "engagement" score tilts each
    volunteer toward the last values of every category, which over-represents them in the pool and
    correlates the categories (many distinct types, rare combinations). The quotas are set on the
    population, as a city does: every integer within 1 of the population's proportional share of
    the panel. Under-represented values then need high selection probabilities and leximin has
    many levels.
    """
    rng = random.Random(seed)
    categories = list(FEATURE_NAMES)[:n_categories]
    shares = {}
    for category in categories:
        raw = [rng.gammavariate(1.2, 1.0) for _ in FEATURE_NAMES[category]]
        shares[category] = [r / sum(raw) for r in raw]
    rows = []
    for i in range(n):
        engagement = rng.random()
        row = {"pool_member_identifier": f"P{i:05d}", "email": f"personne{i}@example.org"}
        for category in categories:
            features = FEATURE_NAMES[category]
            weights = [
                s * (1.0 + VOLUNTEER_TILT * engagement * j / len(features)) for j, s in enumerate(shares[category])
            ]
            row[category] = rng.choices(features, weights=weights)[0]
        rows.append(row)
    people = io.StringIO()
    writer = csv.DictWriter(people, fieldnames=["pool_member_identifier", "email", *categories])
    writer.writeheader()
    writer.writerows(rows)
    quotas = io.StringIO()
    quotas.write("category,feature,min,max\n")
    for category in categories:
        for feature, share in zip(FEATURE_NAMES[category], shares[category], strict=True):
            count = sum(1 for row in rows if row[category] == feature)
            target = panel_size * share
            # Every integer within 1 of the proportional share (two or three values).
            low = min(count, max(0, math.ceil(target - 1)))
            high = min(count, math.floor(target + 1))
            quotas.write(f"{category},{feature},{low},{high}\n")
    return people.getvalue().encode(), quotas.getvalue().encode()


def generated(n: int, panel_size: int, n_categories: int, seed: int = 2026) -> Any:
    # Quotas around proportional shares are almost always feasible; if not, try the next seed.
    for attempt in range(20):
        people, quotas = generate_pool(n, panel_size, n_categories, seed + attempt)
        pool = engine.read_pool(people, quotas)
        try:
            engine.check_quotas(pool, panel_size)
        except engine.InfeasibleQuotas:
            continue
        return pool
    raise RuntimeError("no feasible generated pool")


def reference_vector(path: Path, algorithm: str) -> list[float]:
    with path.open() as handle:
        return sorted(float(r["selection probability"]) for r in csv.DictReader(handle) if r["algorithm"] == algorithm)


def fmt(vector: list[float], digits: int = 4) -> str:
    return "[" + ", ".join(f"{v:.{digits}f}" for v in vector) + "]"


def compare_reference(vector: list[float], reference: list[float]) -> str:
    """Compare two sorted vectors at the percentiles of the reference (both over the same pool)."""
    worst = max(abs(r - v) for v, r in zip(vector, reference, strict=True))
    diffs = [v - r for v, r in zip(vector, reference, strict=True)]
    first = next((d for d in diffs if abs(d) > 1e-3), 0.0)
    verdict = "égal" if first == 0.0 else ("meilleur" if first > 0 else "PIRE")
    return f"max |reference - ours| = {worst:.2e}; lexicographic comparison (tol 1e-3): {verdict}"


def levels(vector: list[float], count: int = 10) -> list[float]:
    """The first ``count`` distinct values of a sorted probability vector (1e-6 apart at least)."""
    distinct: list[float] = []
    for value in vector:
        if not distinct or value - distinct[-1] > 1e-6:
            distinct.append(value)
    return distinct[:count]


def maximin_lp(pool: Any, panel_size: int, seed_panels: tuple[tuple[int, ...], ...]) -> tuple[float, int]:
    """Optimum of the maximin LP (largest achievable minimum probability) and the panels added.

    Independent of the engine's solver code: SciPy's LP gives the duals π (one per type, summing
    to 1) and the optimum z; SciPy's MIP finds the quota-feasible composition maximising
    Σ π_t x_t / size_t; the loop stops when no composition beats z, which proves z optimal.
    """
    table = quotas_module.build_types(pool)
    n = table.n_types
    sizes = table.sizes.astype(np.float64)
    panels = [np.asarray(c, dtype=np.float64) for c in seed_panels]
    quota_rows = LinearConstraint(
        np.vstack([np.ones(n), table.incidence]),
        np.concatenate([[panel_size], table.mins]),
        np.concatenate([[panel_size], table.maxs]),
    )
    added = 0
    while True:
        m = len(panels)
        shares = np.array(panels).T / sizes[:, None]  # shares[t, j]: probability of type t in panel j
        cost = np.zeros(m + 1)
        cost[m] = -1.0  # maximise z
        result = linprog(
            cost,
            A_ub=np.hstack([-shares, np.ones((n, 1))]),
            b_ub=np.zeros(n),
            A_eq=np.concatenate([np.ones(m), [0.0]])[None, :],
            b_eq=[1.0],
            bounds=[(0, None)] * m + [(None, None)],
            method="highs",
        )
        z = -float(result.fun)
        prices = -np.asarray(result.ineqlin.marginals)
        weights = prices / sizes
        best = milp(
            -weights,
            constraints=quota_rows,
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), sizes),
            options={"mip_rel_gap": 1e-9},
        )
        composition = np.rint(best.x)
        if float(composition @ weights) <= z + 1e-9:
            return z, added
        panels.append(composition)
        added += 1


def run(name: str, pool: Any, panel_size: int, legacy_runs: int, full: bool) -> None:
    types = len(set(pool.features))
    print(
        f"\n=== {name}: {len(pool.ids)} personnes, panel {panel_size}, {len(pool.categories)} catégories, {types} types"
    )
    wall, cpu = time.perf_counter(), time.process_time()
    distribution = engine.leximin(pool, panel_size)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    vector = distribution.sorted_probabilities()
    generated_columns = getattr(distribution, "columns", None)
    print(
        f"leximin: CPU {cpu:.2f} s, wall {wall:.2f} s, min probability {distribution.min_probability():.10f}, "
        f"{len(distribution.compositions)} panels in the support"
        + (f", {generated_columns} generated" if generated_columns else "")
    )
    optimum, added = maximin_lp(pool, panel_size, distribution.compositions)
    gap = distribution.min_probability() - optimum
    print(
        f"maximin LP optimum (SciPy, {added} panels added to leximin's): {optimum:.10f}; leximin min - LP = {gap:.1e}"
    )
    print(f"first ten leximin levels: {fmt(levels(vector), 6)}")
    if full:
        print(f"leximin sorted probabilities: {fmt(vector)}")
    if legacy_runs:
        wall, cpu = time.perf_counter(), time.process_time()
        old = engine.legacy(pool, panel_size, seed="bench", runs=legacy_runs)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"legacy ({legacy_runs} runs): CPU {cpu:.2f} s, wall {wall:.2f} s, "
            f"min probability {old.min_probability():.4f}"
        )
    if name == "example_small_20":
        reference = DATA / "reference" / "example_small_20_prob_allocs_data.csv"
        for algorithm in ("LexiMin", "Legacy"):
            published = reference_vector(reference, algorithm)
            print(
                f"published {algorithm}: min {published[0]:.4f}; ours (leximin) vs published {algorithm}: "
                + compare_reference(vector, published)
            )


def main() -> None:
    global engine, quotas_module
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="no legacy runs, skip the 2,000-person pool")
    parser.add_argument("--only", help="run only the pools whose name contains this text")
    parser.add_argument("--engine-root", help="checkout to import apps.sortition.engine from (before/after)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print leximin's work (master solves, iterations, pricing; per stage on the exact fallback)",
    )
    args = parser.parse_args()
    if args.profile:
        logging.basicConfig(format="  %(message)s")
        logging.getLogger("apps.sortition.engine").setLevel(logging.DEBUG)
    sys.path.insert(0, str(ROOT))
    if args.engine_root:
        sys.path.insert(0, str(Path(args.engine_root).resolve()))
    engine = importlib.import_module("apps.sortition.engine")
    quotas_module = importlib.import_module("apps.sortition.engine.quotas")
    print(f"engine: {Path(engine.__file__).parent}")
    legacy_runs = 0 if args.quick else 10_000
    instances: list[tuple[str, Any, int, int, bool]] = []
    for name in ("example_small_20", "sftest_22"):
        pool = engine.read_pool(DATA / name / "respondents.csv", DATA / name / "categories.csv")
        instances.append((name, pool, int(name.rsplit("_", 1)[1]), legacy_runs, True))
    for n, k, c in [(360, 30, 7), (1_000, 75, 5)] + ([] if args.quick else [(2_000, 200, 2)]):
        instances.append((f"generated_{n}_{k}_{c}", generated(n, k, c), k, legacy_runs // 10, False))
    for name, pool, k, runs, full in instances:
        if args.only is None or args.only in name:
            run(name, pool, k, runs, full)


if __name__ == "__main__":
    main()
