"""The public envelope formula: how the total of a participatory budget is split.

Pure computation (no database): the service feeds it the budget's figures and the quartiers,
stores the returned step-by-step computation in ``Envelope.computation`` and the public page
shows it line by line. The steps, in this order:

1. **City-wide envelope**: ``total × city_wide_share %``.
2. **Floor**: every quartier first receives ``minimum_per_quartier``. If the rest cannot pay
   every floor, the rest is split equally instead (the back office refuses such a setting,
   but the formula stays total).
3. **Criteria**: what remains is split into one pot per criterion (``weight %`` of it); each
   pot is shared between the quartiers in proportion to the criterion: population, population
   living in a priority area (QPV), or an equal share. A criterion whose values are all zero
   (no QPV population recorded anywhere, say) is shared equally. Weights are expected to sum to
   100; without any criterion the remainder is shared equally.
4. **Rounding to whole euros** by the *largest remainder* method (Hamilton): every exact
   amount is rounded down, then the euros still missing to reach the total are given one by
   one to the envelopes with the largest fractional part; equal fractional parts go to the
   city-wide envelope first, then to the most populated quartier, then in the order given (by
   name), so a more populated quartier never gets less than a less populated one. The sum is
   therefore exactly the total, and no envelope moves by more than one euro from its exact
   amount.

Exact arithmetic (``Fraction``) is used throughout: a float could give a euro to the wrong
quartier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

SOURCES = ("population", "priority_population", "equal")
CITY_WIDE = "city"


@dataclass(frozen=True)
class QuartierFigures:
    key: int
    name: str
    population: int = 0
    priority_population: int = 0


@dataclass(frozen=True)
class CriterionWeight:
    source: str
    weight: Decimal


@dataclass
class EnvelopeSplit:
    city_wide: int
    amounts: dict[int, int]
    # JSON-ready description of every step (see the module docstring).
    steps: dict[str, Any] = field(default_factory=dict)
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)


def _money(value: Fraction) -> str:
    """An exact amount shown to the cent (for the public table)."""
    cents = round(value * 100)
    return f"{cents // 100}.{cents % 100:02d}"


def _percent(value: Fraction) -> str:
    hundredths = round(value * 10000)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def _criterion_values(source: str, quartiers: Sequence[QuartierFigures]) -> list[int]:
    if source == "population":
        return [max(q.population, 0) for q in quartiers]
    if source == "priority_population":
        return [max(q.priority_population, 0) for q in quartiers]
    return [1 for _q in quartiers]


def largest_remainder(
    exact: Sequence[Fraction], total: int, precedence: Sequence[int] | None = None
) -> tuple[list[int], list[int]]:
    """Whole amounts summing to ``total``: floors, then one unit each to the largest fractional
    parts (ties: higher ``precedence`` first, then earlier position). Returns (amounts, extra
    unit given per position)."""
    floors = [value.numerator // value.denominator for value in exact]
    leftover = total - sum(floors)
    rank = precedence or [0] * len(exact)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), -rank[i], i))
    extra = [0] * len(exact)
    for index in order[: max(leftover, 0)]:
        extra[index] = 1
    return [floor + bonus for floor, bonus in zip(floors, extra, strict=True)], extra


def split_envelopes(
    *,
    total: int,
    city_wide_share: Decimal | Fraction | int,
    minimum_per_quartier: int,
    criteria: Sequence[CriterionWeight],
    quartiers: Sequence[QuartierFigures],
) -> EnvelopeSplit:
    share = Fraction(str(city_wide_share)) / 100
    share = min(max(share, Fraction(0)), Fraction(1))
    count = len(quartiers)
    if count == 0:
        return EnvelopeSplit(
            city_wide=total,
            amounts={},
            steps={"total": total, "city_wide": {"exact": _money(Fraction(total)), "amount": total}, "quartiers": []},
        )
    city_exact = total * share
    rest = total - city_exact
    floor = Fraction(minimum_per_quartier)
    floor_reduced = floor * count > rest
    if floor_reduced:
        floor = rest / count
    remainder = rest - floor * count

    weights = [(c.source, Fraction(str(c.weight)) / 100) for c in criteria if c.source in SOURCES and c.weight > 0]
    weight_sum = sum((w for _s, w in weights), Fraction(0))
    if not weights:
        weights, weight_sum = [("equal", Fraction(1))], Fraction(1)
    exact = [floor for _q in quartiers]
    parts: list[dict[str, Any]] = [{} for _q in quartiers]
    criteria_steps: list[dict[str, Any]] = []
    for source, weight in weights:
        pot = remainder * weight / weight_sum
        values = _criterion_values(source, quartiers)
        denominator = sum(values)
        equal_fallback = denominator == 0
        if equal_fallback:
            values, denominator = [1] * count, count
        criteria_steps.append(
            {
                "source": source,
                "weight": _percent(weight),
                "pot": _money(pot),
                "denominator": denominator,
                "equal_fallback": equal_fallback,
            }
        )
        for index, value in enumerate(values):
            portion = Fraction(value, denominator)
            amount = pot * portion
            exact[index] += amount
            parts[index][source] = {"value": value, "share": _percent(portion), "amount": _money(amount)}

    # Ties: the city-wide envelope first, then the most populated quartier.
    precedence = [sum(max(q.population, 0) for q in quartiers) + 1, *(max(q.population, 0) for q in quartiers)]
    rounded, extra = largest_remainder([city_exact, *exact], total, precedence)
    rows: dict[int, dict[str, Any]] = {}
    quartier_steps = []
    for index, quartier in enumerate(quartiers):
        row = {
            "key": quartier.key,
            "name": quartier.name,
            "population": quartier.population,
            "priority_population": quartier.priority_population,
            "floor": _money(floor),
            "parts": parts[index],
            "exact": _money(exact[index]),
            "extra_euro": extra[index + 1],
            "amount": rounded[index + 1],
        }
        rows[quartier.key] = row
        quartier_steps.append(row)
    steps = {
        "version": 1,
        "total": total,
        "city_wide": {
            "share": _percent(share),
            "exact": _money(city_exact),
            "extra_euro": extra[0],
            "amount": rounded[0],
        },
        "rest": _money(rest),
        "floor": {
            "per_quartier": minimum_per_quartier,
            "applied": _money(floor),
            "quartiers": count,
            "total": _money(floor * count),
            "reduced": floor_reduced,
        },
        "remainder": _money(remainder),
        "criteria": criteria_steps,
        "rounding": {
            "method": "largest_remainder",
            "leftover": total - sum(value.numerator // value.denominator for value in [city_exact, *exact]),
        },
        "quartiers": quartier_steps,
    }
    return EnvelopeSplit(
        city_wide=rounded[0],
        amounts={quartier.key: rounded[index + 1] for index, quartier in enumerate(quartiers)},
        steps=steps,
        rows=rows,
    )
