"""Search in proposals: French full-text on PostgreSQL, a word-by-word fallback on SQLite.

Accents are ignored on both sides: PostgreSQL uses the ``french_unaccent`` configuration
(``french`` with the ``unaccent`` dictionary before the stemmer, migration
``0004_search_unaccent``), SQLite folds accents in Python (:func:`apps.core.textsearch.fold`).

The PostgreSQL query must use exactly the expression of the GIN index created by the
migration ``0004_search_unaccent`` or the planner ignores the index. Django's own
``SearchVector("title", "body")`` wraps each column in ``COALESCE`` and so would not
match; both columns are NOT NULL, so the plain concatenation is equivalent and the one
SQL text (:class:`apps.core.textsearch.FrenchDocument`) is shared by the index and the query.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Q, QuerySet

from apps.core.textsearch import (
    SEARCH_CONFIG,
    FoldedText,
    FrenchDocument,
    fold,
    is_postgresql,
    register_sqlite_fold,
    search_text,
    words_of,
)
from apps.proposals.models import Proposal

__all__ = ["INDEX_NAME", "fold", "search_proposals", "similar_proposals"]
INDEX_NAME = "proposal_fulltext_fr_unaccent"


def search_proposals(queryset: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    # On PostgreSQL this is the GIN index's expression (title || ' ' || body), so it is used.
    return search_text(queryset, text, ("title", "body"))


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
            queryset.annotate(title_document=FrenchDocument("title"))
            .filter(title_document=query)
            .annotate(rank=SearchRank(FrenchDocument("title"), query))
            .order_by("-rank", "-support_count", "-pk")
        )
        return list(ranked[:limit])
    register_sqlite_fold()
    words = [fold(word) for word in words]
    condition = Q()
    for word in words:
        condition |= Q(folded_title__contains=word)
    candidates: list[Proposal] = list(
        queryset.alias(folded_title=FoldedText("title"))
        .filter(condition)
        .order_by("-support_count", "-pk")[: limit * 10]
    )
    # Rank in Python on the small candidate set: the more shared words the better.
    candidates.sort(key=lambda proposal: -sum(word in fold(proposal.title) for word in words))
    return candidates[:limit]
