"""Statistical secrecy of every figure the module shows or exports.

1. **Primary suppression**: a cell counting 1 to 10 people is never shown (``None``).
2. **Secondary suppression**: when a table would hide exactly one cell, the smallest other
   non-zero cell is hidden too, so that the total minus the shown cells does not give it back.
3. **Rounding**: every shown count is rounded to a multiple of 5, so that differencing two
   overlapping tables (a quartier and the city, one year and the next) gives a range, not a
   count.

Residual (documented in docs/INDICATORS.md): an attacker combining many overlapping tables can
narrow a hidden cell to a range of a few people; no table is by person, and no event says what
was voted, so no combination gives a person's ballot. Differential privacy noise (Laplace on
each count) is the documented next step for public pages if the city wants a formal guarantee.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

K = TypeVar("K")

MIN_CELL = 11
ROUND_TO = 5


def rounded(count: int) -> int:
    return int(ROUND_TO * round(count / ROUND_TO))


def hidden(count: int) -> bool:
    return 0 < count < MIN_CELL


def protect(counts: Mapping[K, int]) -> dict[K, int | None]:
    """The table ``counts`` as it may be shown: hidden cells are ``None``, others rounded."""
    suppressed = {key for key, count in counts.items() if hidden(count)}
    if len(suppressed) == 1:
        others = sorted(
            ((count, str(key), key) for key, count in counts.items() if key not in suppressed and count > 0),
            key=lambda item: (item[0], item[1]),
        )
        if others:
            suppressed.add(others[0][2])
    return {key: None if key in suppressed else rounded(count) for key, count in counts.items()}


def protect_one(count: int) -> int | None:
    """A lone figure (a total): hidden below the threshold, else rounded."""
    return None if hidden(count) else rounded(count)
