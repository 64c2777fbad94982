"""The list's results block written out in Python (apps.proposals.results) is the markup of
the templates it replaces (proposals/_results.html with includes/pagination.html), byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from apps.core.models import Process, Theme
from apps.proposals import results, selectors
from apps.proposals.models import Proposal


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_results_block_is_the_templates_markup(
    collect_process: Process,
    make_proposal: Callable[..., Proposal],
    theme: Theme,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)  # 13 proposals: 7 pages, with "…" gaps
    make_proposal(collect_process, title='<b>Tout & rien</b> "cité"', theme=theme)
    make_proposal(collect_process, title="Saisie papier", is_paper=True, paper_author_name="M. <Dupont>")
    make_proposal(collect_process, title="Retirée", is_withdrawn=True)
    for number in range(11):
        make_proposal(collect_process, title=f"Idée {number}", support_count=number % 3, comment_count=number)
    cases: list[tuple[dict[str, str], str]] = [({}, page) for page in ("1", "2", "4", "7", "99", "x")] + [
        ({"tri": "soutiens", "theme": theme.slug}, "3"),
        ({"etat": "retiree"}, "1"),
        ({"quartier": "nulle-part"}, "1"),
    ]
    with translation.override(language):
        for params, page_number in cases:
            page = selectors.proposal_page(selectors.proposal_list(collect_process, params), page_number, params)
            base_query = urlencode(params)
            expected = render_to_string("proposals/_results.html", {"page": page, "base_query": base_query})
            assert results.results_html(page, base_query) == expected, (params, page_number)
