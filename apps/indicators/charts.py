"""The representativeness chart of one dimension: participants' share (blue) against the
population's share (grey), drawn by the shared SVG bar chart. The table that follows it in the
page carries the same figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.charts import BarChart, ChartRow, bar_chart
from apps.indicators.selectors import DimensionTable


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} %"


def dimension_chart(table: DimensionTable) -> BarChart:
    rows = [
        ChartRow(
            label=row.label,
            value=row.share,
            value_text=_percent(row.share),
            reference=row.reference_share,
            reference_text="" if row.reference_share is None else _percent(row.reference_share),
            alert=bool(row.under),
        )
        for row in table.rows
    ]
    caption = _(
        "%(title)s : participants (barre colorée) et population (barre grise). "
        "Les chiffres sont dans le tableau ci-dessous."
    ) % {"title": table.title}
    return bar_chart(table.title, rows, caption=caption)
