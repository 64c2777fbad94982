"""Property tests of the rich-text sanitiser: nothing executable survives, whatever the mix
of Markdown and hostile HTML (allowlist sanitising with nh3)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.richtext import render_rich_text, sanitize_html

TAGS = ["script", "img", "a", "svg", "iframe", "p", "style", "math", "object", "embed", "form", "details", "b"]
HANDLERS = ["onerror", "onclick", "onload", "OnMouseOver", "onfocus", "ontoggle", "onanimationstart"]
SCHEMES = [
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "jav&#x09;ascript:",
    "&#106;avascript:",
    " javascript:",
    "vbscript:",
    "data:text/html,",
    "javascript&colon;",
]
PAYLOADS = ["alert(1)", "alert`1`", "fetch('//evil.example')", '"><script>alert(1)</script>']

fragment = st.one_of(
    st.builds(lambda t, p: f"<{t}>{p}</{t}>", st.sampled_from(TAGS), st.sampled_from(PAYLOADS)),
    st.builds(
        lambda t, h, p: f"<{t} {h}={p!r}>x</{t}>",
        st.sampled_from(TAGS),
        st.sampled_from(HANDLERS),
        st.sampled_from(PAYLOADS),
    ),
    st.builds(
        lambda t, h, p: f"<{t} {h}={p}>", st.sampled_from(TAGS), st.sampled_from(HANDLERS), st.sampled_from(PAYLOADS)
    ),
    st.builds(lambda s, p: f'<a href="{s}{p}">lien</a>', st.sampled_from(SCHEMES), st.sampled_from(PAYLOADS)),
    st.builds(lambda s, p: f"[lien]({s}{p})", st.sampled_from(SCHEMES), st.sampled_from(PAYLOADS)),
    st.builds(lambda s, p: f"![image]({s}{p})", st.sampled_from(SCHEMES), st.sampled_from(PAYLOADS)),
    st.builds(lambda s, p: f"<{s}{p}>", st.sampled_from(SCHEMES), st.sampled_from(PAYLOADS)),
    st.sampled_from(
        [
            "**gras**",
            "*italique*",
            "- item",
            "> citation",
            "`code`",
            "\n\n",
            "<",
            ">",
            '"',
            "'",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "&lt;script&gt;",
            "<scr<script>ipt>",
            "</p>",
        ]
    ),
    st.text(max_size=20),
)
documents = st.lists(fragment, min_size=1, max_size=12).map("".join)

FORBIDDEN_TAGS = {"script", "iframe", "svg", "style", "object", "embed", "math", "form", "img", "base", "meta", "link"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data"}


class _Inspector(HTMLParser):
    """Reads the output the way a browser would (entities in attribute values decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                # The WHATWG URL parser trims C0 controls and spaces at both ends and drops
                # tabs and newlines anywhere; what is left before ":" is a scheme only if
                # it is made of scheme characters.
                compact = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(33))))).lower()
                match = re.match(r"^([a-z][a-z0-9+.-]*):", compact)
                if match and match.group(1) not in {"http", "https", "mailto"}:
                    self.problems.append(f"{name}={value!r}")


def assert_inert(html: str) -> None:
    assert "<script" not in html.lower(), html
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    assert not inspector.problems, f"{inspector.problems} in {html}"


@settings(max_examples=300, deadline=None)
@given(documents)
def test_render_rich_text_leaves_nothing_executable(source: str) -> None:
    assert_inert(render_rich_text(source))


@settings(max_examples=300, deadline=None)
@given(documents)
def test_sanitize_html_leaves_nothing_executable(source: str) -> None:
    assert_inert(sanitize_html(source))


@settings(max_examples=100, deadline=None)
@given(documents)
def test_sanitising_twice_changes_nothing(source: str) -> None:
    once = sanitize_html(source)
    assert_inert(sanitize_html(once))


def test_the_checker_catches_what_it_looks_for() -> None:
    # Guards the property: an oracle that accepts everything would make the tests vacuous.
    for bad in ("<script>alert(1)</script>", '<b onclick="x()">', '<a href="javascript:alert(1)">x</a>'):
        try:
            assert_inert(bad)
        except AssertionError:
            continue
        raise AssertionError(f"assert_inert accepted {bad}")


def test_formatting_survives() -> None:
    html = render_rich_text("**gras** et [un lien](https://nantes.fr)")
    assert "<strong>gras</strong>" in html
    assert 'href="https://nantes.fr"' in html and "nofollow" in html
