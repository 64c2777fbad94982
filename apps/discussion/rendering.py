"""Comment threads rendered comment by comment, each comment cached under what it shows.

A page of threads holds 20 threads and their replies (60 comments on a busy proposal); with a
template include per comment it cost about 400 Python calls per comment, and every new comment
re-rendered the whole page. Here each comment's own markup (``discussion/_comment.html``: from
its ``<li>`` to its reply form, without its replies) is rendered once and kept in the cache
under a key made of **everything it shows**: its text, stance, date, moderation state and
reason, its author's public name, the language and time zone, the target's URLs, and the
viewer's flags (may report this comment, may moderate, may reply). The replies are nested here.

- Never stale: a change of anything shown (a comment hidden, an account renamed or deleted)
  is another key at once; the old fragment is no longer read and expires after :data:`TTL`.
  A new comment on a page of 60 renders one comment, not 60.
- Nothing personal to a viewer: the key holds booleans, never who is looking; the CSRF token
  of the reply and moderation forms is :data:`CSRF_MARKER` in the cache, replaced by the
  caller's token when the page is assembled. The marker holds a NUL character, which no text
  read from PostgreSQL can hold and Django's form fields refuse, so no comment can imitate it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language

from apps.discussion.models import Comment

TEMPLATE = "discussion/_comment.html"
CSRF_MARKER = "\x00archipel-comment-csrf\x00"
# How long an unread fragment stays: content-keyed fragments are never wrong, the TTL only
# frees the memory of the ones no page reads any more (a hidden comment's old text, a deleted
# account's name: kept no longer than this).
TTL = 300
_PREFIX = "discussion:comment:1"
# What nests the replies, as the recursive template wrote it.
_REPLIES_OPEN = '  \n    <ul class="replies">\n      '
_REPLIES_CLOSE = "\n    </ul>\n  \n</li>\n"
_NO_REPLIES = "  \n</li>\n"


@dataclass(frozen=True)
class Variant:
    """What the viewer may do on every comment of the page (``can_report`` is per comment)."""

    can_comment: bool
    can_moderate: bool
    comment_urls: Mapping[str, str]  # URL names of report, hide and unhide (the module's)
    reply_url: str
    stances: Sequence[tuple[str, Any]]  # empty where the module asks for no stance
    with_token: bool  # False: rendered without a request, the forms carry no token

    def key_part(self) -> str:
        """The variant and what the rendering depends on besides the comment."""
        return "\x1f".join(
            str(part)
            for part in (
                get_language(),
                timezone.get_current_timezone_name(),
                self.can_comment,
                self.can_moderate,
                sorted(self.comment_urls.items()),
                self.reply_url,
                [value for value, _label in self.stances],
                self.with_token and (self.can_comment or self.can_moderate),
            )
        )


def _flattened(threads: Sequence[Comment]) -> Iterator[Comment]:
    for comment in threads:
        yield comment
        yield from _flattened(getattr(comment, "children", ()))


def _key(comment: Comment, variant_part: str) -> str:
    shown = "\x1f".join(
        (
            variant_part,
            str(comment.pk),
            str(comment.is_hidden),
            comment.hidden_reason,
            comment.author_label,
            comment.created_at.isoformat(),
            comment.stance,
            str(getattr(comment, "can_report", False)),
            comment.body,
        )
    )
    return f"{_PREFIX}:{hashlib.blake2b(shown.encode(), digest_size=20).hexdigest()}"


def threads_html(threads: Sequence[Comment], variant: Variant, csrf_token: str) -> str:
    """The ``<li>`` of each thread of ``threads`` (as :func:`selectors.threads_of` gives them,
    replies in ``children``), replies nested, with ``csrf_token`` in the forms (already escaped
    markup: the fragments come from the template)."""
    every = list(_flattened(threads))
    if not every:
        return ""
    variant_part = variant.key_part()
    keys = {comment.pk: _key(comment, variant_part) for comment in every}
    found: dict[str, Any] = cache.get_many(list(keys.values()))
    rendered: dict[str, str] = {}
    missing = [comment for comment in every if not isinstance(found.get(keys[comment.pk]), str)]
    if missing:
        template = get_template(TEMPLATE)
        base = {
            "can_comment": variant.can_comment,
            "can_moderate": variant.can_moderate,
            "comment_urls": variant.comment_urls,
            "reply_url": variant.reply_url,
            "stances": variant.stances,
            "csrf_token": CSRF_MARKER if variant.with_token else "",
        }
        for comment in missing:
            rendered[keys[comment.pk]] = template.render({**base, "comment": comment})
        cache.set_many(rendered, TTL)
        found.update(rendered)

    def nested(comment: Comment) -> str:
        own: str = found[keys[comment.pk]]
        children = getattr(comment, "children", ())
        if not children:
            return own + _NO_REPLIES
        return own + _REPLIES_OPEN + "".join(nested(child) for child in children) + _REPLIES_CLOSE

    html = "".join(nested(comment) for comment in threads)
    return html.replace(CSRF_MARKER, escape(csrf_token)) if variant.with_token else html
