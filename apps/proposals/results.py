"""The blocks of the proposals list rendered on a cache miss, built in Python: the results
(count, cards, pagination) and the search and filters form.

Through the Django templates (``proposals/_results.html`` with ``includes/pagination.html``,
``proposals/_filters.html``) these blocks cost some sixty variable lookups, tags and
translations per miss for a shape that never changes. This writes out the same markup, byte
for byte (``tests/proposals/test_results_block.py`` renders both on every kind of page and
compares them; the templates stay as the reference, and the map page still includes the
filters template), with the same escaping: every value that does not come from the catalogue
goes through ``escape``, as the templates' autoescape did.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.core.paginator import Page
from django.utils.translation import gettext, ngettext

from apps.proposals.forms import ProposalFilterForm
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


def filters_html(form: ProposalFilterForm, params: dict[str, str], action: str, *, show_sort: bool) -> str:
    """What ``proposals/_filters.html`` renders (the list's search and filters form)."""
    out = [
        f'<form method="get" action="{escape(action)}" class="filters" role="search" '
        f'aria-label="{gettext("Rechercher et filtrer les propositions")}">\n  '
    ]
    for control in form.controls():
        if control.name == "tri" and not show_sort:
            continue
        name, ident = escape(control.name), escape(control.id)
        invalid = f' aria-invalid="true" aria-describedby="{ident}_error"' if control.errors else ""
        errors = "".join(f'<p class="field-error" id="{ident}_error">{escape(error)}</p>' for error in control.errors)
        if control.options:
            widget = f'<select name="{name}"{invalid} id="{ident}">{control.options}</select>'
        else:
            value = f' value="{escape(control.value)}"' if control.value else ""
            widget = f'<input type="search" name="{name}"{value} maxlength="200"{invalid} id="{ident}">'
        out.append(
            f'\n  <div class="field{" field-invalid" if control.errors else ""}">\n'
            f'    <label for="{ident}">{escape(control.label)}</label>\n'
            f"    {errors}\n    {widget}\n  </div>\n  "
        )
    seed = params.get("graine") if params.get("tri") == "hasard" else None
    hidden = f'<input type="hidden" name="graine" value="{escape(seed)}">' if seed else ""
    out.append(f'\n  {hidden}\n  <div><button type="submit">{gettext("Afficher")}</button></div>\n</form>\n')
    return "".join(out)
