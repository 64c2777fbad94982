"""The envelope formula: exact sums, floors, monotonicity, the documented rounding."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.budgets.envelopes import CriterionWeight, QuartierFigures, largest_remainder, split_envelopes


def _quartiers(populations: list[int], priority: list[int] | None = None) -> list[QuartierFigures]:
    priority = priority or [0] * len(populations)
    return [
        QuartierFigures(i + 1, f"Q{i + 1:02d}", p, q)
        for i, (p, q) in enumerate(zip(populations, priority, strict=True))
    ]


def test_worked_example() -> None:
    # 100 000 €, 10 % city-wide, 10 000 € floor for 2 quartiers, remainder 70 000 by population.
    split = split_envelopes(
        total=100_000,
        city_wide_share=Decimal(10),
        minimum_per_quartier=10_000,
        criteria=[CriterionWeight("population", Decimal(100))],
        quartiers=_quartiers([30_000, 10_000]),
    )
    assert split.city_wide == 10_000
    assert split.amounts == {1: 10_000 + 52_500, 2: 10_000 + 17_500}
    assert split.steps["remainder"] == "70000.00"
    assert split.steps["quartiers"][0]["parts"]["population"]["share"] == "75.00"


def test_rounding_gives_missing_euros_to_largest_remainders() -> None:
    # 100 € between three equal quartiers: 33.33 each, one euro left, to the first (tie → order).
    split = split_envelopes(
        total=100,
        city_wide_share=0,
        minimum_per_quartier=0,
        criteria=[CriterionWeight("equal", Decimal(100))],
        quartiers=_quartiers([1, 1, 1]),
    )
    assert list(split.amounts.values()) == [34, 33, 33]
    assert split.steps["rounding"]["leftover"] == 1
    assert largest_remainder([Fraction(5, 2), Fraction(27, 10), Fraction(48, 10)], 10) == ([2, 3, 5], [0, 1, 1])


def test_priority_criterion_without_data_falls_back_to_equal() -> None:
    split = split_envelopes(
        total=1000,
        city_wide_share=0,
        minimum_per_quartier=0,
        criteria=[CriterionWeight("priority_population", Decimal(100))],
        quartiers=_quartiers([10, 90]),
    )
    assert split.amounts == {1: 500, 2: 500}
    assert split.steps["criteria"][0]["equal_fallback"] is True


def test_floor_larger_than_the_rest_is_split_equally() -> None:
    split = split_envelopes(
        total=1000,
        city_wide_share=50,
        minimum_per_quartier=400,
        criteria=[CriterionWeight("population", Decimal(100))],
        quartiers=_quartiers([1, 9]),
    )
    assert split.city_wide == 500
    assert split.amounts == {1: 250, 2: 250}
    assert split.steps["floor"]["reduced"] is True


weights = st.tuples(st.integers(0, 100), st.integers(0, 100)).filter(lambda w: w[0] + w[1] <= 100)


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(0, 5_000_000),
    share=st.integers(0, 100),
    populations=st.lists(st.integers(0, 80_000), min_size=1, max_size=15),
    weight=weights,
    floor_fraction=st.integers(0, 100),
)
def test_sum_is_exact_floor_is_met_and_population_is_monotone(
    total: int, share: int, populations: list[int], weight: tuple[int, int], floor_fraction: int
) -> None:
    rest = total * (100 - share) // 100
    floor = rest * floor_fraction // 100 // len(populations)
    criteria = [
        CriterionWeight("population", Decimal(weight[0])),
        CriterionWeight("equal", Decimal(weight[1])),
        CriterionWeight("priority_population", Decimal(100 - weight[0] - weight[1])),
    ]
    # Same QPV population everywhere: only population differs between quartiers.
    split = split_envelopes(
        total=total,
        city_wide_share=share,
        minimum_per_quartier=floor,
        criteria=criteria,
        quartiers=_quartiers(populations, [100] * len(populations)),
    )
    assert split.city_wide + sum(split.amounts.values()) == total
    assert all(amount >= floor for amount in split.amounts.values())
    for a, pop_a in enumerate(populations):
        for b, pop_b in enumerate(populations):
            if pop_a < pop_b:
                assert split.amounts[a + 1] <= split.amounts[b + 1]
