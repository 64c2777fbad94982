"""Bar charts drawn as inline SVG (no JavaScript, no inline style: the CSP forbids it). Each
chart is decorative for assistive technologies (``aria-hidden``): the table that follows it
carries the same figures."""

from __future__ import annotations

from dataclasses import dataclass

from apps.indicators.selectors import DimensionTable

ROW = 34
LABEL_WIDTH = 38  # percent of the chart's width kept for the labels


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    share_width: float  # percent of the chart's width
    share_text: str
    reference_width: float
    reference_text: str


@dataclass(frozen=True)
class Chart:
    title: str
    height: int
    bars: list[Bar]
    label_width: int = LABEL_WIDTH


def _width(percent: float | None, top: float) -> float:
    if percent is None or top <= 0:
        return 0.0
    return round((100 - LABEL_WIDTH - 12) * percent / top, 2)


def dimension_chart(table: DimensionTable) -> Chart:
    top = max([row.share or 0 for row in table.rows] + [row.reference_share or 0 for row in table.rows] + [1])
    bars = [
        Bar(
            label=row.label,
            y=index * ROW,
            share_width=_width(row.share, top),
            share_text="—" if row.share is None else f"{row.share:.0f} %",
            reference_width=_width(row.reference_share, top),
            reference_text="" if row.reference_share is None else f"{row.reference_share:.0f} %",
        )
        for index, row in enumerate(table.rows)
    ]
    return Chart(table.title, len(bars) * ROW + 4, bars)
