"""The list's HTML made in Python (pagination, results heading, card escaping) is what the templates made."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.utils import translation

from apps.proposals.templatetags import proposal_tags

# includes/pagination.html as it was, a loop over ``pagination_links``: the reference.
REFERENCE = (Path(__file__).parent / "pagination_reference.html").read_text()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pagination_prints_what_the_template_loop_printed(language: str) -> None:
    engine = engines["django"]
    reference, include = engine.from_string(REFERENCE), engine.get_template("includes/pagination.html")
    compared = 0
    with translation.override(language):
        for total in (0, 5, 21, 45, 200, 25_000):  # 25,000 items: 1,250 pages, numbers of four digits
            paginator = Paginator(range(total), 20)
            last = paginator.num_pages
            for number in sorted({n for n in (1, 2, 3, 4, 6, last // 2, last - 1, last) if 1 <= n <= last}):
                page = paginator.page(number)
                contexts: list[dict[str, Any]] = [
                    {"page": page, "base_query": "tri=r%C3%A9cent&q=a<b", "anchor": "resultats", "label": "<Pages>"},
                    {"page": page, "base_query": "", "label": ""},
                    {"page": page},
                ]
                for context in contexts:
                    assert include.render(context) == reference.render(context), (total, number, context)
                    compared += 1
    assert compared > 60


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_results_heading_prints_what_its_blocktranslate_tags_printed(language: str) -> None:
    engine = engines["django"]
    reference = engine.from_string((Path(__file__).parent / "results_heading_reference.html").read_text())
    heading = engine.from_string('{% load proposal_tags %}<h2 id="resultats">{% results_heading page %}</h2>')
    with translation.override(language):
        for total in (0, 1, 2, 20, 21, 4_000, 25_000):
            paginator = Paginator(range(total), 20)
            for number in {1, paginator.num_pages}:
                context = {"page": paginator.page(number)}
                assert heading.render(context) == reference.render(context), (total, number)


def test_the_cards_escape_as_html_escape_does() -> None:
    text = "<script>alert('x')</script> & \"quotes\" — Mercœur"
    assert text.translate(proposal_tags._HTML_ESCAPES) == html.escape(text)
