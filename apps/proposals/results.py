"""The results block of the proposals list (count, cards, pagination), built in Python.

On a list miss the Django templates of this block (``proposals/_results.html`` and
``includes/pagination.html``) cost about a third of the request's Python calls: some forty
variable lookups, tags and translations for a block whose shape never changes. This writes
out the same markup, byte for byte (``tests/proposals/test_results_block.py`` renders both on
every kind of page and compares them), with the same escaping: every value that does not come
from the catalogue goes through ``escape``, as the templates' autoescape did.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.core.paginator import Page
from django.utils.translation import gettext, ngettext

from apps.proposals.templatetags.proposal_tags import page_range, proposal_cards


def _heading(page: Page[Any]) -> str:
    count = page.paginator.count
    if count:
        title = ngettext("%(counter)s proposition", "%(counter)s propositions", count) % {"counter": count}
    else:
        title = gettext("Aucune proposition")
    pages = ""
    if page.paginator.num_pages > 1:
        numbers = {"number": page.number, "total": page.paginator.num_pages}
        pages = ' <span class="meta">' + gettext("(page %(number)s sur %(total)s)") % numbers + "</span>"
    return f'<h2 id="resultats">{title}{pages}</h2>'


def pagination_html(page: Page[Any], base_query: str, label: str, anchor: str) -> str:
    """``includes/pagination.html`` for ``page`` (``base_query`` urlencoded, without ``page``)."""
    if not page.has_other_pages():
        return ""
    query = f"?{escape(base_query)}&amp;page=" if base_query else "?page="
    jump = f"#{escape(anchor)}" if anchor else ""
    word = gettext("page")
    out = [f'\n<nav class="pagination-nav" aria-label="{escape(label)}">\n  <ul class="pagination">\n    ']
    if page.has_previous():
        previous = page.previous_page_number()
        out.append(
            f'\n      <li><a href="{query}{previous}{jump}" rel="prev">{gettext("Précédente")}'
            f'<span class="visually-hidden"> ({word} {previous})</span></a></li>\n    '
        )
    out.append("\n    ")
    number: int | str
    for number in page_range(page):
        if number == page.number:
            out.append(
                f'\n      \n        <li><span aria-current="page"><span class="visually-hidden">{word} </span>'
                f"{number}</span></li>\n      \n    "
            )
        elif not isinstance(number, int):  # the paginator's ELLIPSIS
            out.append('\n      \n        <li><span aria-hidden="true">…</span></li>\n      \n    ')
        else:
            out.append(
                f'\n      \n        <li><a href="{query}{number}{jump}"><span class="visually-hidden">{word} </span>'
                f"{number}</a></li>\n      \n    "
            )
    out.append("\n    ")
    if page.has_next():
        following = page.next_page_number()
        out.append(
            f'\n      <li><a href="{query}{following}{jump}" rel="next">{gettext("Suivante")}'
            f'<span class="visually-hidden"> ({word} {following})</span></a></li>\n    '
        )
    out.append("\n  </ul>\n</nav>\n")
    return "".join(out)


def results_html(page: Page[Any], base_query: str) -> str:
    """What ``proposals/_results.html`` renders for ``page``."""
    if page.object_list:
        cards = f'\n<ul class="card-list proposal-list">\n  {proposal_cards(page.object_list)}\n</ul>\n'
    else:
        cards = f"\n<p>{gettext('Aucune proposition ne correspond à ces critères.')}</p>\n"
    pagination = pagination_html(page, base_query, gettext("Pages des propositions"), "resultats")
    return f"{_heading(page)}\n{cards}\n\n{pagination}\n\n"
