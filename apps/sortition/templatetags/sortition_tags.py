"""Template helpers of the sortition module."""

from __future__ import annotations

from typing import Any

from django import template

from apps.core import formatting
from apps.sortition import bridge, rules, selectors

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
def process_draws(process: Any) -> list[dict[str, Any]]:
    """Draws of a process page, with whether its call for volunteers is open."""
    return [
        {"draw": draw, "volunteering_open": rules.volunteering_open(draw)}
        for draw in selectors.draws_for_process(process)
    ]


@register.simple_tag
def can_list_draws(user: Any) -> bool:
    """For the back-office dashboard link to the draws."""
    return rules.can_list_draws_admin(user)
