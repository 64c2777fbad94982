"""``{% load follow %}{% follow_button target %}``: a no-JS follow / stop-following form."""

from __future__ import annotations

from typing import Any

from django import template

from apps.notifications.selectors import follow_button_context

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context: template.Context, target: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    next_url = request.get_full_path() if request is not None else ""
    return follow_button_context(user, target, next_url=next_url)
