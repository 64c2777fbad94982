"""Template helpers of the sortition module."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

from apps.core import formatting
from apps.core.charts import StackedBarChart
from apps.sortition import bridge, charts

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.0833 → "8,3 %" (French number format, rounded half up: 12/84 is 14,3 %, not 14,2 %)."""
    return formatting.percent(value, digits)


@register.filter
def column_label(name: str) -> str:
    """A column name of a list (« tranche_age ») as a human label (« Tranche d'âge »)."""
    return bridge.column_label(str(name))


@register.simple_tag
def quota_chart(category: str, rows: Sequence[dict[str, Any]]) -> StackedBarChart:
    return charts.quota_chart(category, rows)
