"""Template helpers of the workshops module."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def tally_for(results: dict[int, Any], recommendation: Any) -> Any:
    return results.get(recommendation.pk)


@register.filter
def euros(amount: Any) -> str:
    if amount is None:
        return ""
    return f"{amount:,.0f}".replace(",", "\u202f") + "\u00a0€"
