"""French typography of the pages: a no-break space before « : » and a narrow no-break space
before « ; », « ? » and « ! », so that the sign never wraps alone onto the next line.

It is applied to the text of every French HTML page as it leaves the server rather than typed
into the ~400 interface strings: the msgids, the English catalogue and the tests keep ordinary
spaces, residents' own texts get the same typography, and no new string can forget it.
Only text between tags is touched, never attributes (an input's value is what the person typed)
nor the content of ``<script>``, ``<style>``, ``<pre>``, ``<code>`` and ``<textarea>``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
# A plain space between a word and one of : ; ? ! that ends a clause (followed by a space, the end
# of the text or a closing quote). The space comes first and the look-behind checks the word
# before it: a leading literal lets the scan jump from space to space instead of trying the
# look-behind at every character (several times faster on a comment's text).
_MISSING = re.compile(r" (?<=\S )([:;?!])(?=\s|$|»|\"|'|\))")
# The same at the very start of a text node, after an inline tag: « </strong> : suite ».
_LEADING = re.compile(r"^ ([:;?!])(?=\s|$)")
_TAG = re.compile(r"(<[^>]*>)")
# Both rules need a space before the sign: most text nodes have none and are skipped.
_CANDIDATE = re.compile(r" [:;?!]")
_RAW_ELEMENTS = ("script", "style", "pre", "code", "textarea")
# The ASCII first letter ahead of the case-blind name lets the scan skip most tags at once (half
# the cost of the whole-pattern IGNORECASE on a 17 kB page, on every French page); it also stops
# « ſ » (long s), which IGNORECASE folds to « s » but browsers do not, from opening a raw element.
_OPENING = re.compile(r"<(?=[sSpPcCtT])(?i:(script|style|pre|code|textarea))[\s>]")
_CLOSING = {name: re.compile(f"</{name}", flags=re.IGNORECASE) for name in _RAW_ELEMENTS}


def _spaced(match: re.Match[str]) -> str:
    return (NBSP if match.group(1) == ":" else NARROW_NBSP) + match.group(1)


def fix_text(text: str) -> str:
    return _LEADING.sub(_spaced, _MISSING.sub(_spaced, text))


def fix_html_by_pieces(html: str) -> str:
    """The reference algorithm: every text node in turn (one Python step per tag and per text
    node; :func:`fix_html` visits only the nodes with a candidate and must agree with it)."""
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


def _is_tag_start(html: str, index: int) -> bool:
    """Whether the ``<`` at ``index`` starts a tag as ``_TAG`` splits: a ``>`` follows, and no
    ``<`` since the end of the previous tag (the first ``<`` after a tag opens the next one)."""
    return html.find(">", index) != -1 and html.rfind("<", 0, index) <= html.rfind(">", 0, index)


def _tag_end_before(html: str, index: int) -> int:
    """The position just after the last tag ending before ``index`` (0 if none)."""
    end = html.rfind(">", 0, index)
    # A ``>`` ends a tag when a ``<`` opened after the previous ``>``; otherwise it is text.
    while end != -1 and html.rfind("<", 0, end) <= html.rfind(">", 0, end):
        end = html.rfind(">", 0, end)
    return end + 1


def _raw_spans(html: str) -> list[tuple[int, int]]:
    """(start, end) of each raw element, from its opening tag to its closing tag's start."""
    spans: list[tuple[int, int]] = []
    position = 0
    while (opening := _OPENING.search(html, position)) is not None:
        start = opening.start()
        if not _is_tag_start(html, start):
            position = start + 1
            continue
        closing = _CLOSING[opening.group(1).lower()]
        search_from = html.find(">", start) + 1
        end = len(html)
        while (found := closing.search(html, search_from)) is not None:
            if _is_tag_start(html, found.start()):
                end = found.start()
                break
            search_from = found.start() + 1
        spans.append((start, end))
        position = end
    return spans


def fix_html(html: str) -> str:
    """``html`` with French spacing in its text nodes (markup and raw elements left alone).

    Same result as :func:`fix_html_by_pieces`, but only the text nodes holding a space before
    a sign are looked at: a page has a few dozen of them among a few thousand nodes, and the
    pass runs on every French page."""
    candidates = list(_CANDIDATE.finditer(html))
    if not candidates:
        return html
    spans = _raw_spans(html) if _OPENING.search(html) else []
    # The spans are in order and apart: a bisection finds the one that may hold a candidate (a
    # page with a reply form per comment has dozens of <textarea>, and a scan per candidate
    # cost a signed-in proposal page some 450 Python calls).
    starts = [start for start, _end in spans]
    out: list[str] = []
    done = 0  # html[:done] is already in ``out``
    for candidate in candidates:
        index = candidate.start()
        if index < done:
            continue  # in a node already fixed
        opened = html.rfind("<", 0, index)
        if opened > html.rfind(">", 0, index) and html.find(">", index) != -1:
            continue  # inside a tag (an attribute)
        before = bisect.bisect_right(starts, index) - 1
        if before >= 0 and index < spans[before][1]:
            continue  # in a raw element
        node_start = _tag_end_before(html, index)
        following = html.find("<", index)
        node_end = following if following != -1 and html.find(">", following) != -1 else len(html)
        out.append(html[done:node_start])
        out.append(fix_text(html[node_start:node_end]))
        done = node_end
    out.append(html[done:])
    return "".join(out)


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
