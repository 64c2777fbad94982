"""Search in proposals: French full-text on PostgreSQL, a word-by-word fallback on SQLite.

Accents are ignored on both sides: PostgreSQL uses the ``french_unaccent`` configuration
(``french`` with the ``unaccent`` dictionary before the stemmer, migration
``0004_search_unaccent``), SQLite folds accents in Python (:func:`fold`).

The PostgreSQL query must use exactly the expression of the GIN index created by the
migration ``0004_search_unaccent`` or the planner ignores the index. Django's own
``SearchVector("title", "body")`` wraps each column in ``COALESCE`` and so would not
match; both columns are NOT NULL, so the plain concatenation is equivalent and the one
SQL text below is shared by the index and the query.
"""

from __future__ import annotations

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField

from apps.proposals.models import Proposal

SEARCH_CONFIG = "french_unaccent"
INDEX_NAME = "proposal_fulltext_fr_unaccent"
# The indexed expression, written once; the query below renders the same SQL.
INDEX_EXPRESSION = "to_tsvector('french_unaccent'::regconfig, (title || ' ' || body))"
_WORDS = re.compile(r"[\w'’-]+", re.UNICODE)
MAX_WORDS = 8


class ProposalDocument(Func):
    """``to_tsvector('french_unaccent', (title || ' ' || body))`` on the proposal table."""

    template = "to_tsvector('french_unaccent'::regconfig, (%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("title"), F("body"))


class TitleDocument(Func):
    template = "to_tsvector('french_unaccent'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("title"))


class FoldedText(Func):
    """SQLite only: the folded (:func:`fold`) concatenation of text columns, through a Python
    function registered on the SQLite connection by :func:`_register_sqlite_fold`."""

    function = "archipel_fold"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self, *fields: str) -> None:
        super().__init__(*(F(name) for name in fields))


def _register_sqlite_fold() -> None:
    # Registered before each use (cheap): the connection may have been opened before this
    # module was imported, or reopened since.
    connection.ensure_connection()
    connection.connection.create_function("archipel_fold", 1, fold, deterministic=True)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def fold(text: str) -> str:
    """Lower case without accents nor ligatures: "VÉLO" and "vélo" both give "velo",
    "Œuvre" gives "oeuvre" (the SQLite fallback compares folded texts)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


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
    _register_sqlite_fold()
    # SQLite: every word must appear in the title or the body, accents folded on both sides
    # (SQLite's own LIKE folds ASCII case only).
    queryset = queryset.alias(folded_text=FoldedText("title", "body"))
    for word in words_of(fold(text)):
        queryset = queryset.filter(folded_text__contains=word)
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
    _register_sqlite_fold()
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
