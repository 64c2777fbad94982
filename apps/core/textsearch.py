"""Accent-insensitive French text search, shared by every module that lets residents search.

PostgreSQL: the ``french_unaccent`` text search configuration (``french`` with the ``unaccent``
dictionary before the French stemmer, created by the core migration ``0005_text_search``), so
"velo" finds "Vélos" and "ecole" finds "École" on both sides of the match. SQLite (the demo):
every word must appear in one of the columns, accents and case folded in Python (:func:`fold`),
since SQLite's own LIKE folds ASCII case only.

A module with a large table (proposals) keeps its own GIN index on the exact expression; small
tables (budget projects, a few hundred rows) use :func:`search_text` without an index.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import F, Func, Model, QuerySet, TextField

SEARCH_CONFIG = "french_unaccent"
MAX_WORDS = 8
_WORDS = re.compile(r"[\w'’-]+", re.UNICODE)
# Plain \w runs: safe as operands of to_tsquery (none of & | ! ( ) : * < > ' inside).
_TOKENS = re.compile(r"\w+", re.UNICODE)
# websearch_to_tsquery's operators: a quoted phrase, an excluded word, "or".
_OPERATORS = re.compile(r"\"|(?:^|\s)-\w|\bor\b", re.IGNORECASE)

M = TypeVar("M", bound=Model)


class FrenchDocument(Func):
    """``to_tsvector('french_unaccent', (a || ' ' || b …))`` on NOT NULL text columns (Django's
    ``SearchVector`` would wrap each in COALESCE, which an index on the plain expression ignores)."""

    template = "to_tsvector('french_unaccent'::regconfig, (%(expressions)s))"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()

    def __init__(self, *fields: str) -> None:
        super().__init__(*(F(name) for name in fields))


class FoldedText(Func):
    """SQLite only: the folded (:func:`fold`) concatenation of text columns, through a Python
    function registered on the SQLite connection by :func:`register_sqlite_fold`."""

    function = "archipel_fold"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self, *fields: str) -> None:
        super().__init__(*(F(name) for name in fields))


def register_sqlite_fold() -> None:
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


def french_query(text: str) -> SearchQuery:
    """What residents type, as a PostgreSQL text query. Plain words: every word, each as a
    prefix of its stem, so "velo" finds "vélos" (the French stemmer keeps the -s after a
    vowel: "vélos" stays "velos") and "jard" finds "jardins". With websearch operators
    (quotes, "-mot", "or"), websearch_to_tsquery takes the text as it is."""
    tokens = list(dict.fromkeys(_TOKENS.findall(text)))[:MAX_WORDS]
    if not tokens or _OPERATORS.search(text):
        return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    return SearchQuery(" & ".join(f"{token}:*" for token in tokens), config=SEARCH_CONFIG, search_type="raw")


def search_text(queryset: QuerySet[M], text: str, fields: tuple[str, ...]) -> QuerySet[M]:
    """Rows of ``queryset`` whose ``fields`` (NOT NULL text columns) match ``text``: French
    full text (stem prefixes, accents ignored, websearch syntax, :func:`french_query`) on
    PostgreSQL, every folded word contained on SQLite."""
    text = text.strip()
    if not text:
        return queryset
    if is_postgresql():
        query = french_query(text)
        matching: QuerySet[M] = queryset.alias(search_document=FrenchDocument(*fields)).filter(search_document=query)
        return matching
    register_sqlite_fold()
    queryset = queryset.alias(search_folded=FoldedText(*fields))
    for word in words_of(fold(text)):
        queryset = queryset.filter(search_folded__contains=word)
    return queryset
