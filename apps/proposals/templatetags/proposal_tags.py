"""Small presentation helpers of the proposals templates (no permission decisions here)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django import template
from django.core.paginator import Page
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from apps.proposals.models import Proposal, Status

register = template.Library()


@register.simple_tag
def page_range(page: Page[Any]) -> list[int | str]:
    """Page numbers around the current one, with "…" gaps, for long lists."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


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


def _phrase(count: int, words: Callable[[int], str], memo: dict[int, str]) -> str:
    """``words(count)`` escaped, once per count within one rendering (cards share few counts)."""
    phrase = memo.get(count)
    if phrase is None:
        phrase = memo[count] = escape(words(count))
    return phrase


@register.simple_tag
def proposal_cards(proposals: Iterable[Proposal]) -> SafeString:
    """The ``<li>`` cards of a list of proposals.

    Built in Python rather than by including a card template per proposal: on the list
    (20 cards) and the map (up to 500) the template engine cost several milliseconds per
    page for about fifteen variables and tags per card. Every value is escaped (``escape``
    is what Django's autoescape applies); the messages are the catalogue's, looked up once
    per rendering (``get_status_display`` hashes every lazy label of the field's choices on
    each call: a gettext per choice and per card).
    """
    prefix = escape(reverse("proposals:detail", kwargs={"pk": 1}).removesuffix("1/"))
    by, paper = escape(gettext("Par")), escape(gettext("Contribution papier, saisie par la Ville"))
    quartier, theme, withdrawn = escape(gettext("Quartier :")), escape(gettext("Thème :")), escape(gettext("Retirée"))
    statuses = {value: escape(str(label)) for value, label in Status.choices}
    supports: dict[int, str] = {}
    comments: dict[int, str] = {}
    cards = []
    for proposal in proposals:
        author = paper if proposal.is_paper else escape(proposal.author_label)
        place = f"\n    · <span>{quartier} {escape(proposal.territory.name)}</span>" if proposal.territory else ""
        topic = f"\n    · <span>{theme} {escape(proposal.theme.name)}</span>" if proposal.theme else ""
        closed = f'\n    <span class="badge badge-closed">{withdrawn}</span>' if proposal.is_withdrawn else ""
        status = escape(proposal.status)
        counts = f"{_phrase(proposal.support_count, _supports, supports)}\n    · " + _phrase(
            proposal.comment_count, _comments, comments
        )
        cards.append(
            '<li class="card proposal-card">\n'
            f'  <h3><a href="{prefix}{proposal.pk}/">{escape(proposal.title)}</a></h3>\n'
            f'  <p class="meta">\n    {by} {author}{place}{topic}\n  </p>\n'
            f'  <p>\n    <span class="badge badge-status status-{status}">'
            f"{statuses.get(proposal.status, status)}</span>{closed}\n  </p>\n"
            f'  <p class="meta">\n    {counts}\n  </p>\n</li>'
        )
    return mark_safe("\n".join(cards))  # every piece above is escaped
