"""``{% load email_markdown %}``: Markdown written by people, rendered for emails
(``|markdown_html`` sanitised HTML, ``|markdown_text`` clean plain text)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from apps.notifications.rendering import markdown_html as _markdown_html
from apps.notifications.rendering import markdown_text as _markdown_text

register = template.Library()


@register.filter
def markdown_html(source: str) -> SafeString:
    # Safe: sanitised by the allowlist of apps.core.richtext.
    return mark_safe(_markdown_html(source or ""))


@register.filter
def markdown_text(source: str) -> str:
    return _markdown_text(source or "")
