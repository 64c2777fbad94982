"""Template helpers of the sortition module."""

from __future__ import annotations

from django import template

from apps.core import formatting
from apps.sortition import bridge

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.0833 → "8,3 %" (French number format, rounded half up: 12/84 is 14,3 %, not 14,2 %)."""
    return formatting.percent(value, digits)


@register.filter
def column_label(name: str) -> str:
    """A column name of a list (« tranche_age ») as a human label (« Tranche d'âge »)."""
    return bridge.column_label(str(name))
