"""People's Markdown (answers, comments, updates) made fit for an email or a letter.

The HTML is the site's own rendering (:func:`apps.core.richtext.render_rich_text`, sanitised);
the plain text and the PDF paragraphs are read back from that same sanitised HTML, so the
three always say the same thing, without ``**asterisks**`` in the plain-text part.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from xml.sax.saxutils import escape, quoteattr

from apps.core.richtext import render_rich_text

BLOCK_TAGS = {"p", "li", "h3", "h4", "blockquote", "pre"}
INLINE_MARKUP = {"strong": "b", "b": "b", "em": "i", "i": "i", "code": "font"}


@dataclass
class Block:
    """One paragraph: ``kind`` is a block tag, ``text`` is plain, ``markup`` uses the few
    inline tags reportlab's ``Paragraph`` understands (<b>, <i>, <font>, <a>, <br/>)."""

    kind: str
    text: str = ""
    markup: str = ""
    ordinal: int = 0  # position in an ordered list, 0 in a bullet list or outside lists


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.lists: list[list[int]] = []  # one counter per open list; [0] for a bullet list
        self.link: str | None = None
        self.link_text = ""

    def _block(self) -> Block:
        if self.current is None:
            self.current = Block("p")
        return self.current

    def _close(self) -> None:
        if self.current is not None and self.current.text.strip():
            self.current.text = self.current.text.strip()
            self.blocks.append(self.current)
        self.current = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self._close()
            self.lists.append([1] if tag == "ol" else [0])
        elif tag in BLOCK_TAGS:
            self._close()
            ordinal = 0
            if tag == "li" and self.lists and self.lists[-1][0]:
                ordinal = self.lists[-1][0]
                self.lists[-1][0] += 1
            self.current = Block(tag, ordinal=ordinal)
        elif tag == "br":
            block = self._block()
            block.text += "\n"
            block.markup += "<br/>"
        elif tag == "a":
            self.link = dict(attrs).get("href") or ""
            self.link_text = ""
            self._block().markup += f"<a href={quoteattr(self.link)} color='blue'>"
        elif tag in INLINE_MARKUP:
            name = INLINE_MARKUP[tag]
            self._block().markup += "<font face='Courier'>" if name == "font" else f"<{name}>"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self._close()
            if self.lists:
                self.lists.pop()
        elif tag in BLOCK_TAGS:
            self._close()
        elif tag == "a" and self.link is not None:
            block = self._block()
            block.markup += "</a>"
            if self.link and self.link.rstrip("/") != self.link_text.strip().rstrip("/"):
                block.text += f" ({self.link.removeprefix('mailto:')})"
            self.link = None
        elif tag in INLINE_MARKUP:
            self._block().markup += f"</{INLINE_MARKUP[tag]}>"

    def handle_data(self, data: str) -> None:
        if self.current is None and not data.strip():
            return
        data = " ".join(data.split("\n"))  # a newline in HTML is a space; <br> breaks lines
        block = self._block()
        block.text += data
        block.markup += escape(data)
        if self.link is not None:
            self.link_text += data


def markdown_html(source: str) -> str:
    """The sanitised HTML of ``source`` (the site's own rendering)."""
    return render_rich_text(source)


def markdown_blocks(source: str) -> list[Block]:
    reader = _Reader()
    reader.feed(render_rich_text(source))
    reader.close()
    reader._close()
    return reader.blocks


def markdown_text(source: str) -> str:
    """Clean plain text: paragraphs separated by a blank line, "- " or "1. " before list items,
    links followed by their address in brackets, no Markdown signs left."""
    out: list[str] = []
    previous = ""
    for block in markdown_blocks(source):
        text = "\n".join(" ".join(line.split()) for line in block.text.splitlines())
        if block.kind == "li":
            text = (f"{block.ordinal}. " if block.ordinal else "- ") + text
        elif block.kind == "blockquote":
            text = "« " + text + " »"
        # Items of one list stay together; any other block starts after a blank line.
        if out and not (block.kind == "li" and previous == "li"):
            out.append("")
        out.append(text)
        previous = block.kind
    return "\n".join(out)
