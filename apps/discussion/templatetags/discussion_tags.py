"""Presentation helpers of the comment templates (no permission decisions here)."""

from __future__ import annotations

from django import template

register = template.Library()

# Plain symbols present in common system fonts (emoji are missing on many desktops).
STANCE_ICONS = {"agree": "✓", "disagree": "✗", "neutral": "○"}


@register.filter
def stance_icon(stance: str) -> str:
    return STANCE_ICONS.get(stance, "")
