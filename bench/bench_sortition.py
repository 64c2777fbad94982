"""Benchmark of the sortition engine: leximin (and legacy for comparison) on real and generated pools.

Run: ``.venv/bin/python bench/bench_sortition.py [--quick]`` (a script, not a timed test).

Instances: the two public pools of ``/work/shared/bench-data/sortition/`` and generated pools of
360 people / panel 30 / 7 categories, 1,000 / 75 / 5 and 2,000 / 200 / 2, with skewed feature
distributions (fixed seed) and quotas around the proportional share ± a margin.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.sortition.engine import InfeasibleQuotas, Pool, check_quotas, legacy, leximin, read_pool  # noqa: E402

DATA = Path("/work/shared/bench-data/sortition")
FEATURE_NAMES = {
    "genre": ["femme", "homme", "autre"],
    "age": ["16-24", "25-34", "35-49", "50-64", "65-79", "80+"],
    "quartier": ["Centre", "Nord", "Est", "Sud", "Ouest", "Île"],
    "diplome": ["aucun", "CAP-BEP", "bac", "bac+2", "bac+5"],
    "logement": ["locataire social", "locataire privé", "propriétaire"],
    "activite": ["emploi", "chômage", "étudiant", "retraité"],
    "qpv": ["oui", "non"],
}


def generate_pool(n: int, panel_size: int, n_categories: int, seed: int) -> tuple[bytes, bytes]:
    """Respondents and categories CSV files: skewed, correlated features; feasible quotas.

    Volunteers are not a mirror of the population (older, more educated people answer more), so
    feature shares are skewed with a Dirichlet-like draw and partly correlated through a hidden
    "engagement" score; quotas are the proportional share of the panel ± 15 % (at least ± 1).
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
            # Tilt the shares toward the last features for engaged people (correlation).
            weights = [s * (1.0 + engagement * j / len(features)) for j, s in enumerate(shares[category])]
            row[category] = rng.choices(features, weights=weights)[0]
        rows.append(row)
    people = io.StringIO()
    writer = csv.DictWriter(people, fieldnames=["pool_member_identifier", "email", *categories])
    writer.writeheader()
    writer.writerows(rows)
    quotas = io.StringIO()
    quotas.write("category,feature,min,max\n")
    for category in categories:
        for feature in FEATURE_NAMES[category]:
            count = sum(1 for row in rows if row[category] == feature)
            target = panel_size * count / n
            margin = max(1.0, 0.15 * target)
            low = max(0, math.floor(target - margin))
            high = min(count, math.ceil(target + margin))
            quotas.write(f"{category},{feature},{low},{high}\n")
    return people.getvalue().encode(), quotas.getvalue().encode()


def generated(n: int, panel_size: int, n_categories: int, seed: int = 2026) -> Pool:
    # Quotas around proportional shares are almost always feasible; if not, try the next seed.
    for attempt in range(20):
        people, quotas = generate_pool(n, panel_size, n_categories, seed + attempt)
        pool = read_pool(people, quotas)
        try:
            check_quotas(pool, panel_size)
        except InfeasibleQuotas:
            continue
        return pool
    raise RuntimeError("no feasible generated pool")


def reference_vector(path: Path, algorithm: str) -> list[float]:
    with path.open() as handle:
        return sorted(float(r["selection probability"]) for r in csv.DictReader(handle) if r["algorithm"] == algorithm)


def fmt(vector: list[float]) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in vector) + "]"


def compare_reference(vector: list[float], reference: list[float]) -> str:
    """Compare two sorted vectors at the percentiles of the reference (both over the same pool)."""
    worst = max(r - v for v, r in zip(vector, reference, strict=True))
    diffs = [v - r for v, r in zip(vector, reference, strict=True)]
    first = next((d for d in diffs if abs(d) > 1e-3), 0.0)
    verdict = "égal" if first == 0.0 else ("meilleur" if first > 0 else "PIRE")
    return f"max(reference - ours) = {worst:.2e}; lexicographic comparison (tol 1e-3): {verdict}"


def run(name: str, pool: Pool, panel_size: int, legacy_runs: int, full: bool) -> None:
    types = len(set(pool.features))
    print(
        f"\n=== {name}: {len(pool.ids)} personnes, panel {panel_size}, {len(pool.categories)} catégories, {types} types"
    )
    start = time.perf_counter()
    distribution = leximin(pool, panel_size)
    seconds = time.perf_counter() - start
    vector = distribution.sorted_probabilities()
    print(
        f"leximin: {seconds:.2f} s, min probability {distribution.min_probability():.4f}, "
        f"{len(distribution.compositions)} panels in the support"
    )
    if full:
        print(f"leximin sorted probabilities: {fmt(vector)}")
    else:
        distinct = sorted({round(v, 4) for v in vector})
        print(f"leximin distinct probability levels ({len(distinct)}): {fmt(distinct)}")
    if legacy_runs:
        start = time.perf_counter()
        old = legacy(pool, panel_size, seed="bench", runs=legacy_runs)
        seconds = time.perf_counter() - start
        print(f"legacy ({legacy_runs} runs): {seconds:.2f} s, min probability {old.min_probability():.4f}")
        if full:
            print(f"legacy sorted probabilities: {fmt(old.sorted_probabilities())}")
    if name == "example_small_20":
        reference = DATA / "reference" / "example_small_20_prob_allocs_data.csv"
        for algorithm in ("LexiMin", "Legacy"):
            published = reference_vector(reference, algorithm)
            print(
                f"published {algorithm}: min {published[0]:.4f}; ours (leximin) vs published {algorithm}: "
                + compare_reference(vector, published)
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer legacy runs, skip the largest pool")
    args = parser.parse_args()
    legacy_runs = 1_000 if args.quick else 10_000
    for name in ("example_small_20", "sftest_22"):
        pool = read_pool(DATA / name / "respondents.csv", DATA / name / "categories.csv")
        run(name, pool, int(name.rsplit("_", 1)[1]), legacy_runs, full=True)
    instances = [(360, 30, 7), (1_000, 75, 5)] + ([] if args.quick else [(2_000, 200, 2)])
    for n, k, c in instances:
        run(f"generated_{n}_{k}_{c}", generated(n, k, c), k, legacy_runs // 10, full=n <= 360)


if __name__ == "__main__":
    main()
