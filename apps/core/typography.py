"""French typography of the pages: a no-break space before « : » and a narrow no-break space
before « ; », « ? » and « ! », so that the sign never wraps alone onto the next line.

It is applied to the text of every French HTML page as it leaves the server rather than typed
into the ~400 interface strings: the msgids, the English catalogue and the tests keep ordinary
spaces, residents' own texts get the same typography, and no new string can forget it.
Only text between tags is touched, never attributes (an input's value is what the person typed)
nor the content of ``<script>``, ``<style>``, ``<pre>``, ``<code>`` and ``<textarea>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
# A plain space between a word and one of : ; ? ! that ends a clause (followed by a space, the end
# of the text or a closing quote).
_MISSING = re.compile(r"(?<=\S) ([:;?!])(?=\s|$|»|\"|'|\))")
# The same at the very start of a text node, after an inline tag: « </strong> : suite ».
_LEADING = re.compile(r"^ ([:;?!])(?=\s|$)")
_TAG = re.compile(r"(<[^>]*>)")
# Both rules need a space before the sign: most text nodes have none and are skipped.
_CANDIDATE = re.compile(r" [:;?!]")
_RAW_ELEMENTS = ("script", "style", "pre", "code", "textarea")
_OPENING = re.compile(r"<(script|style|pre|code|textarea)[\s>]", flags=re.IGNORECASE)


def _spaced(match: re.Match[str]) -> str:
    return (NBSP if match.group(1) == ":" else NARROW_NBSP) + match.group(1)


def fix_text(text: str) -> str:
    return _LEADING.sub(_spaced, _MISSING.sub(_spaced, text))


def fix_html(html: str) -> str:
    """``html`` with French spacing in its text nodes (markup and raw elements left alone)."""
    pieces = _TAG.split(html)
    raw: str | None = None  # the raw element being skipped, if any
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            if raw is None:
                opening = _OPENING.match(piece)
                raw = opening.group(1).lower() if opening else None
            elif piece.lower().startswith(f"</{raw}"):
                raw = None
        elif raw is None and _CANDIDATE.search(piece):
            # Text ending before a tag may end a clause: « Lieu : <a…> » and « … ? </h2> ».
            pieces[index] = fix_text(piece)
    return "".join(pieces)


class FrenchTypographyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and (get_language() or "").startswith("fr")
            and not response.has_header("Content-Encoding")
        ):
            charset = response.charset or "utf-8"
            content = fix_html(response.content.decode(charset)).encode(charset)
            if content != response.content:
                response.content = content
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(content))
        return response
