"""Small presentation helpers of the proposals templates (no permission decisions here)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from types import MappingProxyType
from typing import Any, NamedTuple

from django import template
from django.core.paginator import Page
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from apps.proposals.models import Proposal, Status
from apps.proposals.selectors import ProposalCard

register = template.Library()


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int | str
    href: str  # "" for the current page and for a gap ("…")
    current: bool = False


@dataclass(frozen=True, slots=True)
class PageLinks:
    previous: PageLink | None
    numbers: list[PageLink]
    next: PageLink | None


@register.simple_tag
def pagination_links(page: Page[Any], base_query: Any, anchor: Any) -> PageLinks:
    r"""The links of ``includes/pagination.html``: page numbers around the current one, with
    "…" gaps for long lists, and their ``href``\ s (``?<base_query>&page=N#<anchor>``, escaped
    as the template escapes each piece)."""
    query = f"{conditional_escape(base_query)}&amp;" if base_query else ""
    fragment = f"#{conditional_escape(anchor)}" if anchor else ""

    def link(number: int) -> PageLink:
        return PageLink(number, mark_safe(f"?{query}page={number}{fragment}"))  # every piece escaped

    numbers = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if not isinstance(number, int):  # the paginator's ELLIPSIS
            numbers.append(PageLink(number, ""))
        else:
            numbers.append(PageLink(number, "", current=True) if number == page.number else link(number))
    return PageLinks(
        previous=link(page.previous_page_number()) if page.has_previous() else None,
        numbers=numbers,
        next=link(page.next_page_number()) if page.has_next() else None,
    )


def _number(number: int | str) -> str:
    # What ``{{ number }}`` prints: below 1000 an integer reads the same in every language.
    return str(number) if isinstance(number, int) and 0 <= number < 1000 else conditional_escape(localize(number))


@register.simple_tag
def pagination_nav(page: Page[Any], base_query: Any, anchor: Any, label: Any) -> SafeString:
    """The pagination of ``includes/pagination.html``, the same HTML as its template loop made,
    in one function: a page's loop over some ten links cost ~700 Python calls (a lookup, an
    ``{% if %}``, a translation and a number formatting each)."""
    if not page.has_other_pages():
        return mark_safe("")
    links = pagination_links(page, base_query, anchor)
    word = conditional_escape(gettext("page"))
    hidden = f'<span class="visually-hidden">{word} </span>'
    aria_label = conditional_escape(label) if label else gettext("Pagination")
    parts = [f'\n<nav class="pagination-nav" aria-label="{aria_label}">\n  <ul class="pagination">\n    ']
    if links.previous:
        parts.append(
            f'\n      <li><a href="{links.previous.href}" rel="prev">{gettext("Précédente")}'
            f'<span class="visually-hidden"> ({word} {_number(links.previous.number)})</span></a></li>\n    '
        )
    parts.append("\n    ")
    for link in links.numbers:
        if link.current:
            item = f'<li><span aria-current="page">{hidden}{_number(link.number)}</span></li>'
        elif not link.href:
            item = '<li><span aria-hidden="true">…</span></li>'
        else:
            item = f'<li><a href="{link.href}">{hidden}{_number(link.number)}</a></li>'
        parts.append(f"\n      \n        {item}\n      \n    ")
    parts.append("\n    ")
    if links.next:
        parts.append(
            f'\n      <li><a href="{links.next.href}" rel="next">{gettext("Suivante")}'
            f'<span class="visually-hidden"> ({word} {_number(links.next.number)})</span></a></li>\n    '
        )
    parts.append("\n  </ul>\n</nav>\n")
    return mark_safe("".join(parts))  # every piece escaped above (the hrefs by pagination_links)


@register.simple_tag
def results_heading(page: Page[Any]) -> SafeString:
    """The count and page of the list's results heading, as its two ``{% blocktranslate %}``
    printed them (same msgids): each of those renders and escapes every variable it names
    through the template machinery, some 120 Python calls."""
    paginator = page.paginator
    count = paginator.count
    if count:
        html = ngettext("%(counter)s proposition", "%(counter)s propositions", count) % {"counter": _number(count)}
    else:
        html = gettext("Aucune proposition")
    if paginator.num_pages > 1:
        numbers = {"number": _number(page.number), "total": _number(paginator.num_pages)}
        html += f' <span class="meta">{gettext("(page %(number)s sur %(total)s)") % numbers}</span>'
    return mark_safe(html)  # the catalogue's text (trusted, as the template's) and escaped numbers


# Zero gets its own words: the French source strings have no catalogue of their own, and
# gettext's fallback treats 0 as plural (« 0 commentaires ») where French says singular.
def _supports(count: int) -> str:
    if count:
        return ngettext("%(counter)s soutien", "%(counter)s soutiens", count) % {"counter": count}
    return gettext("aucun soutien")


def _comments(count: int) -> str:
    if count:
        return ngettext("%(counter)s commentaire", "%(counter)s commentaires", count) % {"counter": count}
    return gettext("aucun commentaire")


@functools.lru_cache(maxsize=4096)
def _phrase(count: int, words: Callable[[int], str], language: str | None) -> str:
    """``words(count)`` escaped, once per count and language in a process (the catalogues do
    not change while it runs; cards share few counts)."""
    return escape(words(count))


class _CardWords(NamedTuple):
    by: str
    paper: str
    quartier: str
    theme: str
    withdrawn: str
    statuses: MappingProxyType[str, str]


@functools.lru_cache(maxsize=16)
def _card_words(language: str | None) -> _CardWords:
    """The fixed words of the cards in ``language``, escaped (``language`` keys the memo: the
    active translation gives the words)."""
    return _CardWords(
        by=escape(gettext("Par")),
        paper=escape(gettext("Contribution papier, saisie par la Ville")),
        quartier=escape(gettext("Quartier :")),
        theme=escape(gettext("Thème :")),
        withdrawn=escape(gettext("Retirée")),
        statuses=MappingProxyType({value: escape(str(label)) for value, label in Status.choices}),
    )


# ``html.escape`` (Django's autoescape) as one ``str.translate``: the same five replacements in
# one C call instead of six Python-visible calls, for the five values of each card.
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


@register.simple_tag
def proposal_cards(proposals: Iterable[ProposalCard | Proposal]) -> SafeString:
    """The ``<li>`` cards of a list of proposals (rows of the list, or instances: the map).

    Built in Python rather than by including a card template per proposal: on the list
    (20 cards) and the map (up to 500) the template engine cost several milliseconds per
    page for about fifteen variables and tags per card. Every value is escaped (``_HTML_ESCAPES``:
    what ``escape``, Django's autoescape, does); the messages are the catalogue's, looked up once
    per process and language (``get_status_display`` hashes every lazy label of the field's
    choices on each call: a gettext per choice and per card).
    """
    prefix = escape(reverse("proposals:detail", kwargs={"pk": 1}).removesuffix("1/"))
    language = get_language()
    by, paper, quartier, theme, withdrawn, statuses = _card_words(language)
    cards = []
    for item in proposals:
        proposal = item if isinstance(item, ProposalCard) else ProposalCard.of(item)
        author = paper if proposal.is_paper else proposal.author_label.translate(_HTML_ESCAPES)
        territory_name, theme_name = proposal.territory_name, proposal.theme_name
        place = f"\n    · <span>{quartier} {territory_name.translate(_HTML_ESCAPES)}</span>" if territory_name else ""
        topic = f"\n    · <span>{theme} {theme_name.translate(_HTML_ESCAPES)}</span>" if theme_name else ""
        closed = f'\n    <span class="badge badge-closed">{withdrawn}</span>' if proposal.is_withdrawn else ""
        status = proposal.status.translate(_HTML_ESCAPES)
        counts = f"{_phrase(proposal.support_count, _supports, language)}\n    · " + _phrase(
            proposal.comment_count, _comments, language
        )
        cards.append(
            '<li class="card proposal-card">\n'
            f'  <h3><a href="{prefix}{proposal.pk}/">{proposal.title.translate(_HTML_ESCAPES)}</a></h3>\n'
            f'  <p class="meta">\n    {by} {author}{place}{topic}\n  </p>\n'
            f'  <p>\n    <span class="badge badge-status status-{status}">'
            f"{statuses.get(proposal.status, status)}</span>{closed}\n  </p>\n"
            f'  <p class="meta">\n    {counts}\n  </p>\n</li>'
        )
    return mark_safe("\n".join(cards))  # every piece above is escaped
