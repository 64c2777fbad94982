"""The list's blocks written out in Python (apps.proposals.results) are the markup of the
templates they replace (proposals/_results.html with includes/pagination.html, and
proposals/_filters.html), byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.core.models import Process, Theme
from apps.proposals import results, selectors
from apps.proposals.forms import ProposalFilterForm, filter_choices
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


FILTER_QUERIES = [
    "",
    "?tri=soutiens&etat=retiree",
    "?tri=hasard&graine=42&quartier=nulle-part",  # an unknown quartier: an error on the field
    "?etat=inconnu&theme=rien&tri=n-importe",
    '?q=<b>"v\u00e9lo"</b>&tri=hasard',
    "?graine=0",
]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_filters_block_is_the_templates_markup(collect_process: Process, theme: Theme, language: str) -> None:
    action = reverse("proposals:list", args=[collect_process.slug])
    territories, themes = filter_choices(collect_process)
    with translation.override(language):
        for query in [*FILTER_QUERIES, f"?theme={theme.slug}&tri=recent"]:
            request = RequestFactory().get(action + query)
            form = ProposalFilterForm(request.GET, territories=territories, themes=themes)
            form.is_valid()
            params = form.params()
            for show_sort in (True, False):
                expected = render_to_string(
                    "proposals/_filters.html",
                    {"form": form, "params": params, "action": action, "show_sort": show_sort},
                )
                assert results.filters_html(form, params, action, show_sort=show_sort) == expected, query
