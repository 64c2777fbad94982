"""Horizontal bar charts drawn as inline SVG, shared by every module (results, turnout,
representativeness, follow-up progress...).

No JavaScript and no inline style (the CSP forbids it): bars are ``<rect>`` elements coloured by
CSS classes. The SVG is hidden from assistive technologies (``aria-hidden``) because every chart
must be followed by the data table that carries the same figures; the component prints the labels
and values as text too, so sighted readers never have to decode the bars.

Render with ``{% include "components/bar_chart.html" with chart=chart %}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ROW_HEIGHT = 34
LABEL_WIDTH = 38  # percent of the chart's width kept for the labels
VALUE_ROOM = 12  # percent kept at the right so the longest bar never touches the edge


@dataclass(frozen=True)
class ChartRow:
    """One category: its value (None when unknown or suppressed) and an optional reference value
    drawn as a thinner grey bar under it (e.g. the share in the population)."""

    label: str
    value: float | None
    value_text: str
    reference: float | None = None
    reference_text: str = ""
    alert: bool = False  # drawn in the alert colour; say it in the table too


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width: float  # percent of the chart's width
    value_text: str
    reference_y: int
    reference_width: float
    reference_text: str
    alert: bool


@dataclass(frozen=True)
class BarChart:
    title: str
    caption: str
    height: int
    bars: list[Bar]
    has_reference: bool
    label_width: int = LABEL_WIDTH


def _width(value: float | None, top: float) -> float:
    if value is None or top <= 0:
        return 0.0
    return round((100 - LABEL_WIDTH - VALUE_ROOM) * max(value, 0.0) / top, 2)


def bar_chart(title: str, rows: Sequence[ChartRow], *, caption: str = "") -> BarChart:
    """Scale every bar against the largest value or reference, so both read on one axis."""
    values = [row.value or 0.0 for row in rows] + [row.reference or 0.0 for row in rows]
    top = max([*values, 0.0]) or 1.0
    bars = [
        Bar(
            label=row.label,
            y=index * ROW_HEIGHT,
            width=_width(row.value, top),
            value_text=row.value_text,
            reference_y=index * ROW_HEIGHT + 15,
            reference_width=_width(row.reference, top),
            reference_text=row.reference_text,
            alert=row.alert,
        )
        for index, row in enumerate(rows)
    ]
    has_reference = any(row.reference is not None for row in rows)
    return BarChart(title, caption, len(bars) * ROW_HEIGHT + 4, bars, has_reference)
