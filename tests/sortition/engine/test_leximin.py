"""Leximin: published values, optimality against an independent LP, invariants, determinism."""

from __future__ import annotations

import csv
import importlib
import logging
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.sortition.engine import draw_panel, leximin
from apps.sortition.engine.quotas import build_types, quota_violations
from apps.sortition.engine.relaxation import relaxed_leximin
from apps.sortition.engine.solver import CompositionMip, improve_by_swaps
from tests.sortition.engine.helpers import (
    DATA,
    all_compositions,
    bench_leximin,
    bench_pool,
    leximin_by_brute_force,
    maximin_bound,
    random_pool,
)


def published(algorithm: str) -> list[float]:
    with (DATA / "reference" / "example_small_20_prob_allocs_data.csv").open() as handle:
        rows = csv.DictReader(handle)
        return sorted(float(r["selection probability"]) for r in rows if r["algorithm"] == algorithm)


def test_example_small_20_matches_published_leximin() -> None:
    pool, k = bench_pool("example_small_20")
    distribution = leximin(pool, k)
    assert distribution.min_probability() == pytest.approx(0.10, abs=1e-9)
    ours = distribution.sorted_probabilities()
    reference = published("LexiMin")
    assert len(ours) == len(reference) == 200
    # Never lexicographically worse: at the first percentile where the vectors differ beyond
    # the tolerance, ours is the higher one.
    first_difference = next((m - r for m, r in zip(ours, reference, strict=True) if abs(m - r) > 1e-3), 0.0)
    assert first_difference >= 0.0
    assert ours[0] > published("Legacy")[0]


def test_sftest_22_meets_quotas_and_is_deterministic() -> None:
    pool, k, first = bench_leximin("sftest_22")
    second = leximin(pool, k)
    assert first.compositions == second.compositions
    assert first.weights == second.weights
    assert first.probabilities == second.probabilities
    table = build_types(pool)
    assert all(table.satisfies(c, k) for c in first.compositions)
    assert sum(first.probabilities.values()) == pytest.approx(k, abs=1e-6)
    assert 0 < first.min_probability() <= k / len(pool.ids)
    panel = draw_panel(first, "1 2 3 4 5")
    assert panel == draw_panel(second, "1 2 3 4 5")
    assert len(panel) == k and quota_violations(pool, panel) == []


@pytest.mark.parametrize("seed", range(8))
def test_min_probability_equals_independent_lp_bound(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(8, 14)
    k = rng.randint(2, n // 2)
    pool = random_pool(rng, n, [rng.randint(2, 3), rng.randint(2, 3), 2], k, slack=1)
    distribution = leximin(pool, k)
    assert distribution.min_probability() == pytest.approx(maximin_bound(pool, k), abs=1e-7)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(3, 16),
    categories=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    fraction=st.floats(0.1, 0.9),
    slack=st.integers(0, 2),
)
def test_distribution_invariants(seed: int, n: int, categories: list[int], fraction: float, slack: int) -> None:
    rng = random.Random(seed)
    k = max(1, min(n - 1, round(n * fraction)))
    pool = random_pool(rng, n, categories, k, slack)
    distribution = leximin(pool, k)
    table = build_types(pool)
    assert distribution.compositions and all(table.satisfies(c, k) for c in distribution.compositions)
    assert all(w > 0 for w in distribution.weights)
    assert sum(distribution.weights) == pytest.approx(1.0, abs=1e-9)
    assert sum(distribution.probabilities.values()) == pytest.approx(k, abs=1e-6)
    assert set(distribution.probabilities) == set(pool.ids)
    assert all(0.0 <= p <= 1.0 for p in distribution.probabilities.values())
    panel = draw_panel(distribution, str(seed))
    assert len(panel) == k and quota_violations(pool, panel) == []


def test_time_limit() -> None:
    pool, k = bench_pool("sftest_22")
    with pytest.raises(TimeoutError, match="limite"):
        leximin(pool, k, time_limit=0.0)


@pytest.mark.parametrize("seed", range(6))
def test_whole_vector_equals_brute_force_leximin(seed: int) -> None:
    # Tight quotas (slack 0 or 1) give several leximin levels, which exercises every stage.
    rng = random.Random(100 + seed)
    n = rng.randint(9, 13)
    k = rng.randint(3, n // 2)
    pool = random_pool(rng, n, [rng.randint(2, 3), rng.randint(2, 3), 2], k, slack=seed % 2)
    ours = leximin(pool, k).sorted_probabilities()
    assert ours == pytest.approx(leximin_by_brute_force(pool, k), abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), above_share=st.floats(0.0, 1.2))
def test_pricing_finds_an_improving_panel_exactly_when_one_exists(seed: int, above_share: float) -> None:
    rng = random.Random(seed)
    n = rng.randint(6, 12)
    k = rng.randint(2, n - 2)
    pool = random_pool(rng, n, [rng.randint(2, 3), rng.randint(2, 3)], k, slack=rng.randint(0, 2))
    table = build_types(pool)
    weights = np.array([rng.random() if rng.random() < 0.6 else 0.0 for _ in range(table.n_types)])
    scores = [float(np.asarray(c) @ weights) for c in all_compositions(table, k)]
    above = above_share * max(scores)
    pricing = CompositionMip(table.sizes, table.incidence, table.mins, table.maxs, k)
    starts = [np.asarray(c, dtype=np.int64) for c in all_compositions(table, k)[:3]]
    found = pricing.improving(weights, above, starts)
    assert all(table.satisfies(c.tolist(), k) and float(c @ weights) > above for c in found)
    assert bool(found) == (max(scores) > above + 1e-12)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), above_share=st.floats(0.0, 1.2))
def test_pricing_in_a_face_finds_an_improving_panel_exactly_when_one_exists(seed: int, above_share: float) -> None:
    # The fast path prices with lower bounds per type (the relaxation's face): members of a type
    # that every panel of the face must hold at least.
    rng = random.Random(seed)
    n = rng.randint(6, 12)
    k = rng.randint(2, n - 2)
    pool = random_pool(rng, n, [rng.randint(2, 3), rng.randint(2, 3)], k, slack=rng.randint(0, 2))
    table = build_types(pool)
    compositions = [np.asarray(c, dtype=np.int64) for c in all_compositions(table, k)]
    anchor = rng.choice(compositions)
    lower = np.array([rng.randint(0, int(v)) for v in anchor], dtype=np.int64)
    inside = [c for c in compositions if np.all(c >= lower)]
    weights = np.array([rng.random() if rng.random() < 0.6 else 0.0 for _ in range(table.n_types)])
    above = above_share * max(float(c @ weights) for c in inside)
    pricing = CompositionMip(table.sizes, table.incidence, table.mins, table.maxs, k, lower=lower)
    found = pricing.improving(weights, above, inside[:3])
    assert all(table.satisfies(c.tolist(), k) and np.all(c >= lower) and float(c @ weights) > above for c in found)
    assert bool(found) == (max(float(c @ weights) for c in inside) > above + 1e-12)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_swaps_keep_the_quotas_and_never_lower_the_score(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(6, 14)
    k = rng.randint(2, n - 2)
    pool = random_pool(rng, n, [rng.randint(2, 4), rng.randint(2, 3), 2], k, slack=rng.randint(0, 2))
    table = build_types(pool)
    compositions = all_compositions(table, k)
    start = np.asarray(rng.choice(compositions), dtype=np.int64)
    weights = np.array([rng.random() for _ in range(table.n_types)])
    # Half of the runs keep some members of each type (lower bounds, as in the relaxation's face).
    lower = np.array([rng.randint(0, int(v)) if seed % 2 else 0 for v in start], dtype=np.int64)
    improved = improve_by_swaps(start, weights, table.sizes, table.incidence, table.mins, table.maxs, lower=lower)
    assert table.satisfies(improved.tolist(), k) and np.all(improved >= lower)
    assert float(improved @ weights) >= float(start @ weights)
    # No single swap improves it further (a local optimum of the neighbourhood).
    for a in np.flatnonzero(improved > lower):
        for b in np.flatnonzero(improved < table.sizes):
            neighbour = improved.copy()
            neighbour[a] -= 1
            neighbour[b] += 1
            if table.satisfies(neighbour.tolist(), k):
                assert float(neighbour @ weights) <= float(improved @ weights) + 1e-12


def test_a_stalled_master_solve_restarts_cold_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The 1,000-person bench pool once looped in a warm-started master solve; the engine then
    # restarts it cold after an iteration limit. A limit of one iteration forces that path on
    # (almost) every solve, and the distribution must not change.
    pool, k, normal = bench_leximin("sftest_22")
    monkeypatch.setattr(importlib.import_module("apps.sortition.engine.master"), "WARM_ITERATION_LIMIT", 1)
    with caplog.at_level(logging.DEBUG, logger="apps.sortition.engine.master"):
        restarted = leximin(pool, k)
    assert any("cold restart" in record.getMessage() for record in caplog.records)
    assert restarted.min_probability() == pytest.approx(normal.min_probability(), abs=1e-9)
    assert restarted.sorted_probabilities() == pytest.approx(normal.sorted_probabilities(), abs=1e-6)


def test_relaxed_levels_reached_give_the_same_lottery_levels_as_the_stages(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # sftest_22 is solved by the fast path (relaxed levels, then one column generation reaching
    # them); without the relaxation the engine runs the exact stage-by-stage method.
    pool, k, fast = bench_leximin("sftest_22")
    with caplog.at_level(logging.DEBUG, logger="apps.sortition.engine.leximin"):
        again = leximin(pool, k)
    assert any("relaxed leximin reached" in record.getMessage() for record in caplog.records)
    assert again.weights == fast.weights
    module = importlib.import_module("apps.sortition.engine.leximin")
    monkeypatch.setattr(module, "relaxed_leximin", lambda table, panel_size: None)
    staged = leximin(pool, k)
    assert staged.min_probability() == pytest.approx(fast.min_probability(), abs=1e-9)
    assert staged.sorted_probabilities() == pytest.approx(fast.sorted_probabilities(), abs=1e-7)


def test_relaxed_levels_out_of_reach_fall_back_to_the_exact_stages(caplog: pytest.LogCaptureFixture) -> None:
    # In this pool the LP relaxation promises everyone 1/3, but no lottery over whole panels gets
    # the least selected type above 1/4: the fast path must notice and run the stages.
    rng = random.Random(9)
    n = rng.randint(8, 13)
    k = rng.randint(3, n // 2)
    pool = random_pool(rng, n, [rng.randint(2, 3), rng.randint(2, 3), 2], k, slack=1)
    table = build_types(pool)
    relaxed = relaxed_leximin(table, k)
    assert relaxed is not None and float(relaxed.levels.min()) == pytest.approx(1 / 3, abs=1e-9)
    with caplog.at_level(logging.DEBUG, logger="apps.sortition.engine.leximin"):
        ours = leximin(pool, k).sorted_probabilities()
    assert any("out of reach" in record.getMessage() for record in caplog.records)
    assert ours[0] == pytest.approx(0.25, abs=1e-9)
    assert ours == pytest.approx(leximin_by_brute_force(pool, k), abs=1e-6)
