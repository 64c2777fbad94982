"""French typography of numbers, percentages, file sizes and dates, in one place (issue 8, item 16).

Django's own helpers get three things wrong in French: ``number_format(..., decimal_pos=2)``
truncates (12/84 prints 14,28 % instead of 14,29 %), ``filesizeformat`` says « Mio » while every
message of the site says « Mo », and no date format can write « 1er janvier ».
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Before « % », French puts a narrow no-break space (it never wraps away from the number).
NARROW_NBSP = "\u202f"
# A day number just before a month name: « 1 janvier » → « 1er janvier ». ``\e\r`` are escaped
# letters in Django's date format syntax.
_DAY_BEFORE_MONTH = re.compile(r"(?<!\\)j(?= F)")


def _is_french() -> bool:
    return (get_language() or "fr").startswith("fr")


def rounded(value: float | int | Decimal, digits: int = 0) -> Decimal:
    """``value`` rounded half up to ``digits`` decimals (not Python's round-half-even, not truncated)."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)
    return number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number(value: float | int | Decimal, digits: int = 0) -> str:
    """« 36 000 », « 14,3 »: grouped thousands and the decimal comma of the active language."""
    return formats.number_format(rounded(value, digits), decimal_pos=digits, force_grouping=True)


def percent(ratio: float | Decimal | None, digits: int = 1) -> str:
    """A ratio as a percentage: 12/84 → « 14,3 % » (rounded half up)."""
    if ratio is None:
        return "—"
    return f"{number(Decimal(str(ratio)) * 100, digits)}{NARROW_NBSP}%"


def file_size(size: int) -> str:
    """« 840 ko », « 19,1 Mo » (« KB », « MB » in English): the units the upload messages use."""
    if size < 1024:
        return _("%(size)s octets") % {"size": number(size)}
    if size < 1024 * 1024:
        return _("%(size)s ko") % {"size": number(Decimal(size) / 1024)}
    if size < 1024**3:
        return _("%(size)s Mo") % {"size": _trimmed(Decimal(size) / 1024**2)}
    return _("%(size)s Go") % {"size": _trimmed(Decimal(size) / 1024**3)}


def _trimmed(value: Decimal) -> str:
    # 5 Mo rather than 5,0 Mo; 19,1 Mo keeps its decimal.
    one_decimal = rounded(value, 1)
    return number(one_decimal, 0 if one_decimal == one_decimal.to_integral_value() else 1)


def date_format(value: datetime.date | datetime.datetime, format_string: str | None = None) -> str:
    """Django's ``date_format``, with « 1er » for the first day of the month in French."""
    pattern = formats.get_format(format_string or "DATE_FORMAT")
    if _is_french() and value.day == 1:
        pattern = _DAY_BEFORE_MONTH.sub(r"j\\e\\r", pattern)
    return formats.date_format(value, pattern)
