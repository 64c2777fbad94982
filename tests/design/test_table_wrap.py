"""Every scrolling table wrapper can be reached and scrolled with the keyboard (RGAA 7.3, WCAG
2.1.1): ``.table-wrap`` scrolls sideways once its table is wider than the screen (a phone), and a
scroll region that nothing in it can focus is out of reach without a mouse (axe's
``scrollable-region-focusable``). Each wrapper is a focusable, named region: ``tabindex="0"``,
``role="region"`` and ``aria-labelledby`` (the table's caption) or ``aria-label``.

The templates are parsed rather than rendered: a wrapper on a page no test renders at phone width
is caught too."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
APPS = Path(settings.BASE_DIR) / "apps"
# Template tags and variables may hold ">" or quotes: replaced by a neutral word of the same
# line count before parsing, so that multi-line tags and their line numbers survive.
TEMPLATE_SYNTAX = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


def _neutral(match: re.Match[str]) -> str:
    return "x" + "\n" * match.group(0).count("\n")


class _Wrappers(HTMLParser):
    """Collects each ``.table-wrap`` start tag with its line and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "table-wrap" in (attributes.get("class") or "").split():
            self.found.append((self.getpos()[0], attributes))


def wrappers(source: str) -> list[tuple[int, dict[str, str | None]]]:
    parser = _Wrappers()
    parser.feed(TEMPLATE_SYNTAX.sub(_neutral, source))
    parser.close()
    return parser.found


def problems(attributes: dict[str, str | None]) -> list[str]:
    found = []
    if attributes.get("tabindex") != "0":
        found.append('tabindex="0"')
    if attributes.get("role") != "region":
        found.append('role="region"')
    if not (attributes.get("aria-labelledby") or attributes.get("aria-label")):
        found.append("aria-labelledby or aria-label")
    return found


def _template_files() -> list[Path]:
    return sorted([*TEMPLATES.rglob("*.html"), *APPS.rglob("templates/**/*.html")])


def test_every_table_wrapper_is_a_focusable_named_region() -> None:
    checked = 0
    missing = []
    for path in _template_files():
        source = path.read_text(encoding="utf-8")
        if "table-wrap" not in source:
            continue
        for line, attributes in wrappers(source):
            checked += 1
            lacking = problems(attributes)
            if lacking:
                missing.append(f"{path.relative_to(settings.BASE_DIR)}:{line} lacks {', '.join(lacking)}")
    assert checked >= 70, f"only {checked} wrappers found: the parser misses some"
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(
    ("source", "lacking"),
    [
        (
            '<div class="table-wrap"><table></table></div>',
            ['tabindex="0"', 'role="region"', "aria-labelledby or aria-label"],
        ),
        ('<div class="table-wrap" tabindex="-1" role="region" aria-label="x">', ['tabindex="0"']),
        ('<div class="table-wrap" tabindex="0" role="group" aria-labelledby="c">', ['role="region"']),
        ('<div class="table-wrap" tabindex="0" role="region">', ["aria-labelledby or aria-label"]),
        ('<div class="table-wrap" tabindex="0" role="region" aria-label="">', ["aria-labelledby or aria-label"]),
        # Multi-line, with a template tag holding quotes and ">" in the label.
        (
            '<div\n  class="wide table-wrap"\n  tabindex="0" role="region"\n'
            '  aria-label="{% blocktranslate with n=a|default:">" %}T {{ n }}{% endblocktranslate %}">',
            [],
        ),
        ('<div class="table-wrap" tabindex="0" role="region" aria-labelledby="cap-{{ row.pk }}">', []),
    ],
)
def test_the_check_sees_what_a_wrapper_lacks(source: str, lacking: list[str]) -> None:
    found = wrappers("<p>\n</p>\n" + source)
    assert len(found) == 1
    assert found[0][0] == 3
    assert problems(found[0][1]) == lacking
