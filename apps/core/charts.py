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
from typing import Literal

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


# --- Stacked bars ------------------------------------------------------------------------------
# One bar per row made of coloured pieces laid end to end: a progress bar (spent / left of an
# envelope), a split (present / excused / absent), an achieved count against its quota. The tones
# are a closed set of CSS classes so that a module cannot slip a colour (or a style) in.

Tone = Literal["primary", "secondary", "ok", "alert", "muted"]
TONES: tuple[Tone, ...] = ("primary", "secondary", "ok", "alert", "muted")


@dataclass(frozen=True)
class Segment:
    """One piece of a stacked bar. ``name`` is the legend's (e.g. « Présent·es »): pieces of the
    same name share a tone across rows."""

    name: str
    value: float
    tone: Tone = "primary"


@dataclass(frozen=True)
class StackedRow:
    label: str
    segments: Sequence[Segment]
    value_text: str
    # A target drawn as an outlined band across the bar: a quota's (minimum, maximum), or one value
    # as (v, v) for a line.
    target: tuple[float, float] | None = None


@dataclass(frozen=True)
class Piece:
    x: float
    width: float
    tone: Tone


@dataclass(frozen=True)
class StackedBar:
    label: str
    value_text: str
    pieces: list[Piece]
    target_x: float | None
    target_width: float


@dataclass(frozen=True)
class LegendEntry:
    name: str
    tone: Tone


@dataclass(frozen=True)
class StackedBarChart:
    """Drawn one small SVG per row (x from 0 to 100) next to its label and value in HTML, so the
    text is never stretched by the SVG's scaling."""

    title: str
    caption: str
    bars: list[StackedBar]
    legend: list[LegendEntry]


def _share(value: float, top: float) -> float:
    return round(100 * min(max(value, 0.0), top) / top, 2)


def stacked_bar_chart(
    title: str,
    rows: Sequence[StackedRow],
    *,
    caption: str = "",
    scale: float | None = None,
    legend: bool = True,
) -> StackedBarChart:
    """Scale every bar against ``scale`` (e.g. the envelope's amount) or, by default, the longest
    bar or target, so that rows compare on one axis. Negative values count as zero; nothing is
    drawn past the axis' end. ``legend=False`` when each row's label already names its colour."""
    totals = [sum(max(s.value, 0.0) for s in row.segments) for row in rows]
    targets = [max(row.target) for row in rows if row.target is not None]
    top = scale if scale is not None and scale > 0 else (max([*totals, *targets, 0.0]) or 1.0)
    bars: list[StackedBar] = []
    names: dict[str, Tone] = {}
    for row in rows:
        pieces: list[Piece] = []
        x = 0.0
        for segment in row.segments:
            names.setdefault(segment.name, segment.tone)
            width = min(_share(segment.value, top), round(100 - x, 2))
            if width > 0:
                pieces.append(Piece(round(x, 2), width, segment.tone))
                x += width
        target_x, target_width = None, 0.0
        if row.target is not None:
            low, high = sorted(row.target)
            target_x = _share(low, top)
            target_width = round(_share(high, top) - target_x, 2)
        bars.append(StackedBar(row.label, row.value_text, pieces, target_x, target_width))
    entries = [LegendEntry(name, tone) for name, tone in names.items()] if legend else []
    return StackedBarChart(title, caption, bars, entries)
