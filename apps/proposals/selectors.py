"""Reads of the public proposals pages, each with a fixed number of queries."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import CombinedExpression

from apps.core import process_cache, sql
from apps.core.models import Process, Territory
from apps.core.phases import can_view_process
from apps.discussion import selectors as discussion
from apps.discussion.selectors import CommentPage
from apps.proposals.forms import WITHDRAWN
from apps.proposals.models import Proposal, Status, Support
from apps.proposals.search import search_proposals

if TYPE_CHECKING:
    from apps.followup.models import Commitment
    from apps.proposals.rules import Person

PAGE_SIZE = 20
COMMENTS_PAGE_SIZE = 20
MAP_LIMIT = 500
CARD_DEFERRED = ("body", "body_html")
# What the cards (``proposal_cards``) and the map's markers read, and nothing else: fewer
# columns to compile, fetch and turn into model instances (the author's whole account row was
# loaded for its public name). A field missing here costs a query per card: the query budgets
# of tests/proposals/test_queries.py would show it.
CARD_FIELDS = (
    "title",
    "status",
    "is_withdrawn",
    "is_paper",
    "paper_author_name",
    "support_count",
    "comment_count",
    "latitude",
    "longitude",
    "author__display_name",
    "author__is_deleted",
    "territory__name",
    "theme__name",
)


def visible_process(slug: str, user: Person) -> Process | None:
    """The process with its territory and phases (from the cache: :mod:`apps.core.process_cache`)."""
    process = process_cache.process_by_slug(slug)
    if process is None or not can_view_process(user, process):
        return None
    return process


def proposal_list(process: Process, params: dict[str, Any]) -> QuerySet[Proposal]:
    """Proposals of ``process`` filtered by the (already allowlisted) parameters."""
    queryset = (
        Proposal.objects.filter(process=process)
        .select_related("author", "territory", "theme")
        .only(*CARD_FIELDS)  # the cards never show the text
    )
    etat = params.get("etat") or ""
    if etat == WITHDRAWN:
        queryset = queryset.filter(is_withdrawn=True)
    else:
        queryset = queryset.filter(is_withdrawn=False)
        if etat in Status.values:
            queryset = queryset.filter(status=etat)
    if params.get("quartier"):
        slug = params["quartier"]
        queryset = queryset.filter(
            Q(territory__slug=slug) | Q(territory__parent__slug=slug) | Q(territory__parent__parent__slug=slug)
        )
    if params.get("theme"):
        queryset = queryset.filter(theme__slug=params["theme"])
    queryset = search_proposals(queryset, params.get("q") or "")
    sort = params.get("tri") or "recent"
    if sort == "soutiens":
        return queryset.order_by("-support_count", "-created_at", "-pk")
    if sort == "hasard":
        return queryset.alias(shuffle=shuffle_key(int(params.get("graine") or 1))).order_by("shuffle", "pk")
    return queryset.order_by("-created_at", "-pk")


# 2**31 - 1 is prime: for any multiplier in [1, P-1], ``pk * m % P`` is a permutation.
SHUFFLE_PRIME = 2_147_483_647


def shuffle_key(seed: int) -> CombinedExpression:
    """A seeded shuffle computed by the database, portable to SQLite and PostgreSQL.

    Only integer ``*``, ``+`` and ``%``: no hash function exists on both databases. A
    multiplication alone is too regular (an added seed just rotates the same cyclic order,
    and many multipliers leave runs of ids in order), so two squaring rounds modulo a prime
    scatter the ids; the seed also picks the multiplier. The same seed always gives the
    same order, so pages do not overlap. Every intermediate value stays below 2**63.
    """
    prime = Value(SHUFFLE_PRIME)
    multiplier = (seed * 1_103_515_245 + 12_345) % SHUFFLE_PRIME or 1
    first = (F("pk") * Value(multiplier) + Value(seed)) % prime
    second = (first * first) % prime + Value(seed)
    return (second * second) % prime


def _paginator(items: Any, count: int | None) -> Paginator[Any]:
    paginator: Paginator[Any] = Paginator(items, PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return paginator


def proposal_page(
    queryset: QuerySet[Proposal], number: Any, params: dict[str, Any], *, count: int | None = None
) -> Page[Proposal]:
    """A page of :func:`proposal_list`; ``count``: the number of results when the caller
    knows it (cached), which saves the ``COUNT`` query.

    For the random sort, the shuffle is computed and sorted on the proposal ids alone, then
    the page's rows are fetched by id: with the joins of ``select_related`` PostgreSQL would
    hash-join every account and every (wide) row of the process before the top-N sort.
    """
    if params.get("tri") != "hasard":
        return _paginator(queryset, count).get_page(number)
    page: Page[Any] = _paginator(queryset.values_list("pk", flat=True), count).get_page(number)
    pks: list[int] = list(page.object_list)
    rows = (
        Proposal.objects.select_related("author", "territory", "theme").only(*CARD_FIELDS).in_bulk(pks) if pks else {}
    )
    page.object_list = [rows[pk] for pk in pks if pk in rows]
    return cast("Page[Proposal]", page)


def proposal_map_points(queryset: QuerySet[Proposal]) -> list[Proposal]:
    return list(queryset.filter(latitude__isnull=False, longitude__isnull=False)[:MAP_LIMIT])


def _with_cached_process(proposal: Proposal | None) -> Proposal | None:
    """The proposal with its process, territory and phases from the process cache (no query)."""
    if proposal is not None:
        process = process_cache.process_by_pk(proposal.process_id)
        if process is None:  # deleted meanwhile
            return None
        proposal.process = process
    return proposal


_PAGE_TERRITORY_SKIPPED = ("boundary", "description")  # the page shows the territory's name


@functools.cache
def _page_row_sql() -> tuple[list[sql.Part], str]:
    proposal_names, proposal_cols = sql.columns(Proposal, "p", CARD_DEFERRED)
    territory_names, territory_cols = sql.columns(Territory, "t", _PAGE_TERRITORY_SKIPPED)
    quote = connections[router.db_for_read(Proposal)].ops.quote_name
    statement = (
        f"SELECT {proposal_cols}, {territory_cols} FROM {quote(Proposal._meta.db_table)} p "  # noqa: S608 (model names)
        f"LEFT JOIN {quote(Territory._meta.db_table)} t ON t.{quote(Territory._meta.pk.column)} = "
        f"p.{quote(Proposal._meta.get_field('territory').column)} "
        f"WHERE p.{quote(Proposal._meta.pk.column)} = %s"
    )
    parts = [
        sql.Part(Proposal, proposal_names, CARD_DEFERRED),
        sql.Part(Territory, territory_names, _PAGE_TERRITORY_SKIPPED),
    ]
    return parts, statement


def _proposal_for_page(pk: int) -> Proposal | None:
    """The proposal without its text, with its territory (no outline): what the page reads
    outside its cached blocks. Fixed SQL: every view of a proposal page reads it, the ORM
    compiled the same query each time (about a sixth of an anonymous page hit)."""
    parts, statement = _page_row_sql()
    found = sql.fetch_row(parts, statement, [pk])
    if found is None:
        return None
    proposal: Proposal = found[0]
    proposal.territory = found[1]
    return proposal


def proposal_for_detail(pk: int, *, full: bool = True) -> Proposal | None:
    """The proposal with its process and phases (cached); ``full``: also author, theme,
    territory and images (the proposal page leaves them to its cached blocks)."""
    if not full:
        return _with_cached_process(_proposal_for_page(pk))
    return _with_cached_process(
        Proposal.objects.select_related("author", "theme", "territory").prefetch_related("images").filter(pk=pk).first()
    )


def proposal_for_action(pk: int) -> Proposal | None:
    """The proposal with what the permission rules read (process and its phases, cached), for
    the POST actions: no author, theme, territory or images, which only the page shows."""
    return _with_cached_process(Proposal.objects.filter(pk=pk).first())


def proposal_commitment(proposal: Proposal) -> Commitment | None:
    from apps.followup.models import Commitment

    source_type = ContentType.objects.get_for_model(Proposal)  # cached by Django after the first call
    return Commitment.objects.filter(source_type=source_type, source_id=proposal.pk).first()


def user_supports(user: Person, proposal: Proposal) -> bool:
    # Fixed SQL: a signed-in visitor asks on every page view, the query would be compiled each time.
    return bool(user.is_authenticated and sql.exists(Support, user=user.pk, proposal=proposal.pk))


def comment_threads(proposal: Proposal, page_number: Any, user: Person) -> CommentPage:
    """A page of the proposal's comment threads (see :func:`apps.discussion.selectors.threads_of`)."""
    return discussion.threads_of(proposal, page_number, user, per_page=COMMENTS_PAGE_SIZE)
