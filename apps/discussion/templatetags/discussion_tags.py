"""Presentation helpers of the comment templates (no permission decisions here)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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


# (language, page number, number of pages, label) -> the pagination of a page of threads.
_paginations: dict[tuple[str | None, int, int, str], SafeString] = {}
_PAGINATIONS_LIMIT = 1024  # a bound: page numbers of busy objects are few


def _forget_paginations(**_kwargs: Any) -> None:
    _paginations.clear()


setting_changed.connect(_forget_paginations, dispatch_uid="apps.discussion.paginations.clear")


@register.simple_tag
def threads_pagination(page: Page[Any], label: str) -> SafeString:
    """``includes/pagination.html`` for a page of threads, rendered once per process for each
    page number, number of pages, label and language: its links hold nothing else (no filter
    query, always the same anchor), and rendering it cost each rendering of the threads about
    1,000 Python calls."""
    key = (get_language(), page.number, page.paginator.num_pages, str(label))
    html = _paginations.get(key)
    if html is None:
        context = {"page": page, "base_query": "", "label": label, "anchor": "commentaires"}
        html = mark_safe(get_template("includes/pagination.html").render(context))  # escaped by the template
        if len(_paginations) >= _PAGINATIONS_LIMIT:
            _paginations.clear()
        _paginations[key] = html
    return html
