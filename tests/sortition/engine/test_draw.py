"""Verifiable draw: determinism, seeds, empirical frequencies, replacements."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from apps.sortition.engine import InfeasibleQuotas, draw_alternates, draw_panel, leximin, read_pool
from apps.sortition.engine.quotas import quota_violations
from tests.sortition.engine.helpers import bench_leximin, bench_pool, random_pool


def test_same_seed_same_panel_other_seeds_differ() -> None:
    pool, k = bench_pool("example_small_20")
    distribution = leximin(pool, k)
    panel = draw_panel(distribution, "loto 2026-05-12 : 4 17 22 31 45")
    assert panel == draw_panel(leximin(pool, k), "loto 2026-05-12 : 4 17 22 31 45")
    assert list(panel) == sorted(panel) and len(set(panel)) == k
    others = {draw_panel(distribution, f"graine {i}") for i in range(10)}
    assert len(others) == 10


def test_empirical_frequencies_approach_probabilities() -> None:
    rng = random.Random(7)
    pool = random_pool(rng, 12, [2, 3], 4, slack=1)
    distribution = leximin(pool, 4)
    runs = 3000
    counts = Counter(person for i in range(runs) for person in draw_panel(distribution, f"s{i}"))
    for person, probability in distribution.probabilities.items():
        # Binomial standard deviation ≤ sqrt(0.25 / 3000) ≈ 0.009: 0.05 is a loose bound.
        assert counts[person] / runs == pytest.approx(probability, abs=0.05)


def test_alternates_same_type_first() -> None:
    pool, _, distribution = bench_leximin("sftest_22")
    panel = draw_panel(distribution, "graine")
    declined = list(panel[:5])
    replacements = draw_alternates(pool, panel, declined, "graine")
    assert set(replacements) == set(declined)
    assert not set(replacements.values()) & set(panel)
    assert len(set(replacements.values())) == len(declined)
    new_panel = [p for p in panel if p not in replacements] + list(replacements.values())
    assert quota_violations(pool, new_panel) == []
    assert replacements == draw_alternates(pool, panel, declined, "graine")
    index = {person: i for i, person in enumerate(pool.ids)}
    for person, replacement in replacements.items():
        if any(pool.features[index[q]] == pool.features[index[person]] for q in pool.ids if q not in panel):
            assert pool.features[index[replacement]] == pool.features[index[person]]


def test_alternates_by_mip_when_no_same_type_is_left() -> None:
    categories = b"category,feature,min,max\ngenre,femme,1,2\ngenre,homme,1,2\nage,jeune,0,2\nage,vieux,1,2\n"
    people = b"id,genre,age\nA,femme,jeune\nB,homme,vieux\nC,femme,vieux\nD,homme,jeune\nE,homme,vieux\n"
    pool = read_pool(people, categories)
    # A declines and nobody else is a young woman: only another woman (C) keeps "femme ≥ 1".
    replacements = draw_alternates(pool, ["A", "B"], ["A"], "s")
    assert replacements == {"A": "C"}
    assert quota_violations(pool, ["B", "C"]) == []
    assert replacements == draw_alternates(pool, ["A", "B"], ["A"], "s")


def test_alternates_impossible() -> None:
    categories = b"category,feature,min,max\ngenre,femme,1,1\ngenre,homme,1,1\n"
    people = b"id,genre\nA,femme\nB,homme\nC,homme\n"
    pool = read_pool(people, categories)
    with pytest.raises(InfeasibleQuotas, match="Impossible de remplacer A"):
        draw_alternates(pool, ["A", "B"], ["A"], "s")
    with pytest.raises(ValueError, match="ne font pas partie du panel"):
        draw_alternates(pool, ["A", "B"], ["C"], "s")
