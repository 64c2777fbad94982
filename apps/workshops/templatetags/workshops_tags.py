"""Template helpers of the workshops module."""

from __future__ import annotations

from typing import Any

from django import template

from apps.core.models import Process
from apps.workshops import rules
from apps.workshops.models import Workshop

register = template.Library()


@register.simple_tag(takes_context=True)
def workshop_for(context: dict[str, Any], process: Process) -> Workshop | None:
    """The workshop of a process when the visitor may see it (for the process page)."""
    workshop = Workshop.objects.select_related("process", "opinion").filter(process=process).first()
    request = context.get("request")
    user = getattr(request, "user", None)
    if workshop is None or user is None or not rules.can_view_workshop(user, workshop):
        return None
    return workshop


@register.filter
def tally_for(results: dict[int, Any], recommendation: Any) -> Any:
    return results.get(recommendation.pk)


@register.filter
def euros(amount: Any) -> str:
    if amount is None:
        return ""
    return f"{amount:,.0f}".replace(",", "\u202f") + "\u00a0€"
