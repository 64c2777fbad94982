"""Small presentation helpers of the proposals templates (no permission decisions here)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page

register = template.Library()

# Plain symbols present in common system fonts (emoji are missing on many desktops).
STANCE_ICONS = {"agree": "✓", "disagree": "✗", "neutral": "○"}


@register.simple_tag
def page_range(page: Page[Any]) -> list[int | str]:
    """Page numbers around the current one, with "…" gaps, for long lists."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.filter
def stance_icon(stance: str) -> str:
    return STANCE_ICONS.get(stance, "")
