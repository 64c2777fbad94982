"""Statistical secrecy of every figure the module shows or exports.

1. **Primary suppression**: a cell counting 1 to 10 people is never shown (``None``).
2. **Secondary suppression**: when a table would hide exactly one cell, the smallest other
   non-zero cell is hidden too, so that the total minus the shown cells does not give it back.
3. **Rounding**: every shown count is rounded to a multiple of 5, so that differencing two
   overlapping tables (a quartier and the city, one year and the next) gives a range, not a
   count.

4. **Differential privacy noise** (option, ``settings.INDICATORS_DP_EPSILON``): inside a
   :func:`published` block (the public pages, the open data), every shown count gets Laplace
   noise of scale 1/ε *after* the suppression (decided on the true counts) and before the
   rounding. The noise is drawn from a keyed hash of the publication, the table, the cell and
   its true count: reloading the page or downloading the export again gives the same figure, so
   repeating a request does not average the noise away.

Residual (documented in docs/INDICATORS.md): an attacker combining many overlapping tables can
narrow a hidden cell to a range of a few people; no table is by person, and no event says what
was voted, so no combination gives a person's ballot.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings

K = TypeVar("K")

MIN_CELL = 11
ROUND_TO = 5


_PUBLICATION: ContextVar[str | None] = ContextVar("indicators_publication", default=None)


@contextmanager
def published(label: str) -> Iterator[None]:
    """Within this block the counts are for the public (``label`` names the publication, e.g.
    the year and scope): noised when the city set ``INDICATORS_DP_EPSILON``."""
    token = _PUBLICATION.set(label)
    try:
        yield
    finally:
        _PUBLICATION.reset(token)


def epsilon() -> float | None:
    """The privacy budget ε of one count of a public table, None when no noise applies."""
    value = getattr(settings, "INDICATORS_DP_EPSILON", None)
    if _PUBLICATION.get() is None or not value:
        return None
    return float(value)


def noisy() -> bool:
    return epsilon() is not None


def laplace_noise(seed: str, scale: float) -> float:
    """A Laplace(0, ``scale``) draw, a pure function of ``seed`` and the server's secret: the
    inverse of the Laplace distribution function at a uniform number taken from an HMAC."""
    digest = hmac.new(settings.SECRET_KEY.encode(), seed.encode(), hashlib.sha256).digest()
    uniform = (int.from_bytes(digest[:8], "big") + 0.5) / 2**64 - 0.5  # in (-½, ½), never 0 or ±½
    return -scale * math.copysign(1.0, uniform) * math.log(1 - 2 * abs(uniform))


def _publish(count: int, table: str, key: object) -> int:
    """A shown (non-suppressed) count as published: noised if asked, then rounded. A noised
    count stays at least ``MIN_CELL`` (the suppression was decided on the true count: a figure
    under 11 would read as a small cell); a zero stays zero (nobody to protect)."""
    eps = epsilon()
    if eps is not None and count > 0:
        seed = f"{_PUBLICATION.get()}|{table}|{key}|{count}"
        count = max(MIN_CELL, round(count + laplace_noise(seed, 1 / eps)))
    return rounded(count)


def rounded(count: int) -> int:
    return int(ROUND_TO * round(count / ROUND_TO))


def hidden(count: int) -> bool:
    return 0 < count < MIN_CELL


def protect(counts: Mapping[K, int], table: str = "") -> dict[K, int | None]:
    """The table ``counts`` as it may be shown: hidden cells are ``None``, others rounded (and
    noised in a :func:`published` block when the option is on; ``table`` names the table in the
    noise's seed, so that two tables with the same cells get independent noise)."""
    suppressed = {key for key, count in counts.items() if hidden(count)}
    if len(suppressed) == 1:
        others = sorted(
            ((count, str(key), key) for key, count in counts.items() if key not in suppressed and count > 0),
            key=lambda item: (item[0], item[1]),
        )
        if others:
            suppressed.add(others[0][2])
    return {key: None if key in suppressed else _publish(count, table, key) for key, count in counts.items()}


def protect_one(count: int, table: str = "") -> int | None:
    """A lone figure (a total): hidden below the threshold, else rounded (and noised)."""
    return None if hidden(count) else _publish(count, table, "")
