"""Quotas against what the draw achieved, as a picture: per value of a category, the people in the
panel now as a bar (green within the quota, red outside) and the quota's range as a dashed band.
The quota table printed right after carries the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from apps.core.charts import Segment, StackedBarChart, StackedRow, stacked_bar_chart
from apps.sortition import bridge


def quota_chart(category: str, rows: Sequence[dict[str, Any]]) -> StackedBarChart:
    """``rows`` are one category's rows of ``selectors.quota_table`` after the final draw."""
    label = bridge.column_label(category)
    return stacked_bar_chart(
        _("Quotas et panel : %(category)s") % {"category": label},
        [
            StackedRow(
                str(row["feature"]),
                [
                    Segment(_("Dans le quota"), float(row["now_in_panel"]), "ok")
                    if row["ok"]
                    else Segment(_("Hors quota"), float(row["now_in_panel"]), "alert")
                ],
                _("%(now)s (quota %(min)s à %(max)s)")
                % {"now": row["now_in_panel"], "min": row["min"], "max": row["max"]},
                target=(float(row["min"]), float(row["max"])),
            )
            for row in rows
        ],
        caption=_(
            "« %(category)s » : membres du panel aujourd'hui (barre) et quota du minimum au maximum "
            "(cadre en pointillés) ; les chiffres sont dans le tableau ci-dessous."
        )
        % {"category": label},
    )
