"""Rich text: people write light Markdown (works in a plain textarea, no JavaScript);
we render it and sanitise the HTML with an allowlist (nh3, the Ammonia sanitiser)."""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "h3",
    "h4",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def render_rich_text(source: str) -> str:
    if not source:
        return ""
    return sanitize_html(markdown.markdown(source, extensions=["sane_lists", "nl2br"], output_format="html"))
