"""Presentation helpers of the comment templates (no permission decisions here)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from apps.discussion.rendering import Variant, threads_html

register = template.Library()

# Plain symbols present in common system fonts (emoji are missing on many desktops).
STANCE_ICONS = {"agree": "✓", "disagree": "✗", "neutral": "○"}


@register.filter
def stance_icon(stance: str) -> str:
    return STANCE_ICONS.get(stance, "")


@register.simple_tag(takes_context=True)
def comment_threads(context: template.Context) -> SafeString:
    """The threads of ``comments`` (a ``selectors.CommentPage``), each comment from the cache
    when it was rendered before for the same variant (apps.discussion.rendering)."""
    token: Any = context.get("csrf_token")
    csrf_token = "" if token is None or str(token) == "NOTPROVIDED" else str(token)
    variant = Variant(
        can_comment=bool(context.get("can_comment")),
        can_moderate=bool(context.get("can_moderate")),
        comment_urls=context.get("comment_urls") or {},
        reply_url=str(context.get("reply_url") or ""),
        stances=context.get("stances") or (),
        with_token=bool(csrf_token),
    )
    # The fragments come from our template (escaped); the token is escaped by threads_html.
    return mark_safe(threads_html(context["comments"].threads, variant, csrf_token))
