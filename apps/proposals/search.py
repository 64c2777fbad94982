"""Search in proposals: French full-text on PostgreSQL, a word-by-word fallback on SQLite.

The PostgreSQL query must use exactly the expression of the GIN index created by the
migration ``0002_search_index`` or the planner ignores the index. Django's own
``SearchVector("title", "body")`` wraps each column in ``COALESCE`` and so would not
match; both columns are NOT NULL, so the plain concatenation is equivalent and the one
SQL text below is shared by the index and the query.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, Func, Q, QuerySet

from apps.proposals.models import Proposal

SEARCH_CONFIG = "french"
INDEX_NAME = "proposal_fulltext_fr"
# The indexed expression, written once; the query below renders the same SQL.
INDEX_EXPRESSION = "to_tsvector('french'::regconfig, (title || ' ' || body))"
_WORDS = re.compile(r"[\w'’-]+", re.UNICODE)
MAX_WORDS = 8


class ProposalDocument(Func):
    """``to_tsvector('french', (title || ' ' || body))`` on the proposal table."""

    template = "to_tsvector('french'::regconfig, (%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("title"), F("body"))


class TitleDocument(Func):
    template = "to_tsvector('french'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("title"))


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def words_of(text: str, *, min_length: int = 1) -> list[str]:
    """Distinct words of ``text`` in order, at most :data:`MAX_WORDS`."""
    seen: list[str] = []
    for word in _WORDS.findall(text.lower()):
        word = word.strip("'’-")
        if len(word) >= min_length and word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def search_proposals(queryset: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    text = text.strip()
    if not text:
        return queryset
    if is_postgresql():
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return queryset.alias(document=ProposalDocument()).filter(document=query)
    # SQLite: every word must appear in the title or the body.
    for word in words_of(text):
        queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return queryset


def similar_proposals(queryset: QuerySet[Proposal], title: str, *, limit: int = 5) -> list[Proposal]:
    """Proposals whose title shares significant words with ``title``.

    Short words (three letters or fewer: "le", "des", "une", "pour" stays) carry no meaning
    for duplicates; any remaining word may match (OR), best matches first.
    """
    words = words_of(title, min_length=4)
    if not words:
        return []
    if is_postgresql():
        # websearch syntax: "a or b" is a disjunction; quotes keep each word literal.
        query = SearchQuery(
            " or ".join(word.replace('"', "") for word in words), config=SEARCH_CONFIG, search_type="websearch"
        )
        ranked = (
            queryset.annotate(title_document=TitleDocument())
            .filter(title_document=query)
            .annotate(rank=SearchRank(TitleDocument(), query))
            .order_by("-rank", "-support_count", "-pk")
        )
        return list(ranked[:limit])
    condition = Q()
    for word in words:
        condition |= Q(title__icontains=word)
    candidates = list(queryset.filter(condition).order_by("-support_count", "-pk")[: limit * 10])
    # Rank in Python on the small candidate set: the more shared words the better.
    candidates.sort(key=lambda proposal: -sum(word in proposal.title.lower() for word in words))
    return candidates[:limit]
