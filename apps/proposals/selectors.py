"""Reads of the public proposals pages, each with a fixed number of queries."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import connections, models, router
from django.db.models import F, Func, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import CombinedExpression

from apps.accounts.models import public_name
from apps.answers import selectors as answers
from apps.core import process_cache, sql
from apps.core.models import Process, Territory, Theme
from apps.core.phases import can_view_process
from apps.discussion import selectors as discussion
from apps.discussion.selectors import CommentPage
from apps.proposals.forms import WITHDRAWN
from apps.proposals.models import Proposal, ProposalImage, Status, Support, author_label
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


@dataclass(frozen=True)
class ListShape:
    """What decides the SQL of a list query, apart from the values bound in it: the ORM
    compiles one statement per shape (:func:`apps.core.sql.compiled`)."""

    state: str  # "withdrawn", "status" (one status, not withdrawn) or "" (all but withdrawn)
    quartier: bool
    theme: bool
    search: str  # the search text becomes SQL (words, stems): a shape of its own, not remembered
    sort: str  # "recent", "soutiens" or "hasard"


def _list_shape(process: Process, params: dict[str, Any]) -> tuple[ListShape, dict[str, Any]]:
    """The shape of the list query for the (already allowlisted) ``params``, and its values."""
    values: dict[str, Any] = {"process": process.pk}
    etat = params.get("etat") or ""
    state = "withdrawn" if etat == WITHDRAWN else "status" if etat in Status.values else ""
    if state == "status":
        values["status"] = etat
    if params.get("quartier"):
        values["quartier"] = params["quartier"]
    if params.get("theme"):
        values["theme"] = params["theme"]
    sort = params.get("tri") or "recent"
    if sort == "hasard":
        seed = int(params.get("graine") or 1)
        values["seed"], values["multiplier"] = seed, shuffle_multiplier(seed)
    elif sort != "soutiens":
        sort = "recent"
    shape = ListShape(state, "quartier" in values, "theme" in values, params.get("q") or "", sort)
    return shape, values


def _list_queryset(shape: ListShape, values: Mapping[str, Any]) -> QuerySet[Proposal]:
    """The list query of ``shape`` with ``values``: decides on ``shape`` alone, so that one
    compilation serves every value (see :func:`_list_shape`)."""
    queryset = Proposal.objects.filter(process=values["process"])
    if shape.state == "withdrawn":
        queryset = queryset.filter(is_withdrawn=True)
    else:
        queryset = queryset.filter(is_withdrawn=False)
        if shape.state == "status":
            queryset = queryset.filter(status=values["status"])
    if shape.quartier:
        slug = values["quartier"]
        queryset = queryset.filter(
            Q(territory__slug=slug) | Q(territory__parent__slug=slug) | Q(territory__parent__parent__slug=slug)
        )
    if shape.theme:
        queryset = queryset.filter(theme__slug=values["theme"])
    if shape.search:
        queryset = search_proposals(queryset, shape.search)
    if shape.sort == "soutiens":
        return queryset.order_by("-support_count", "-created_at", "-pk")
    if shape.sort == "hasard":
        shuffle = shuffle_expression(values["seed"], values["multiplier"])
        return queryset.alias(shuffle=shuffle).order_by("shuffle", "pk")
    return queryset.order_by("-created_at", "-pk")


def proposal_list(process: Process, params: dict[str, Any]) -> QuerySet[Proposal]:
    """Proposals of ``process`` filtered by the (already allowlisted) parameters, with what
    the cards and the map's markers read."""
    shape, values = _list_shape(process, params)
    return _list_queryset(shape, values).select_related("author", "territory", "theme").only(*CARD_FIELDS)


# 2**31 - 1 is prime: for any multiplier in [1, P-1], ``pk * m % P`` is a permutation.
SHUFFLE_PRIME = 2_147_483_647


def shuffle_multiplier(seed: int) -> int:
    return (seed * 1_103_515_245 + 12_345) % SHUFFLE_PRIME or 1


def shuffle_key(seed: int) -> CombinedExpression:
    """A seeded shuffle computed by the database, portable to SQLite and PostgreSQL.

    Only integer ``*``, ``+`` and ``%``: no hash function exists on both databases. A
    multiplication alone is too regular (an added seed just rotates the same cyclic order,
    and many multipliers leave runs of ids in order), so two squaring rounds modulo a prime
    scatter the ids; the seed also picks the multiplier. The same seed always gives the
    same order, so pages do not overlap. Every intermediate value stays below 2**63.
    """
    return shuffle_expression(seed, shuffle_multiplier(seed))


def shuffle_expression(seed: Any, multiplier: Any) -> CombinedExpression:
    """:func:`shuffle_key` with its multiplier given (bound values of a compiled query)."""
    prime = Value(SHUFFLE_PRIME)
    first = (F("pk") * Value(multiplier) + Value(seed)) % prime
    second = (first * first) % prime + Value(seed)
    return (second * second) % prime


@dataclass(frozen=True, slots=True)
class ProposalCard:
    """What a card shows of a proposal, read as one row (no model instances)."""

    pk: int
    title: str
    status: str
    is_withdrawn: bool
    is_paper: bool
    paper_author_name: str
    author_display_name: str | None
    author_is_deleted: bool | None
    territory_name: str | None
    theme_name: str | None
    support_count: int
    comment_count: int

    @classmethod
    def of(cls, proposal: Proposal) -> ProposalCard:
        """The card of a proposal loaded as a model instance (with ``CARD_FIELDS``: the map)."""
        author, territory, theme = proposal.author, proposal.territory, proposal.theme
        return cls(
            pk=proposal.pk,
            title=proposal.title,
            status=proposal.status,
            is_withdrawn=proposal.is_withdrawn,
            is_paper=proposal.is_paper,
            paper_author_name=proposal.paper_author_name,
            author_display_name=None if author is None else author.display_name,
            author_is_deleted=None if author is None else author.is_deleted,
            territory_name=None if territory is None else territory.name,
            theme_name=None if theme is None else theme.name,
            support_count=proposal.support_count,
            comment_count=proposal.comment_count,
        )

    @property
    def author_label(self) -> str:
        name = self.author_display_name
        author = None if name is None else public_name(name, self.author_is_deleted)
        return author_label(is_paper=self.is_paper, paper_author_name=self.paper_author_name, author=author)


# The columns of ProposalCard, in order.
CARD_COLUMNS = (
    "pk",
    "title",
    "status",
    "is_withdrawn",
    "is_paper",
    "paper_author_name",
    "author__display_name",
    "author__is_deleted",
    "territory__name",
    "theme__name",
    "support_count",
    "comment_count",
)


def _cards_query(shape: ListShape, values: Mapping[str, Any]) -> sql.Compiled:
    def build(bound: Mapping[str, Any]) -> QuerySet[Any]:
        return _list_queryset(shape, bound).values_list(*CARD_COLUMNS)

    return _compiled(("proposals.cards", shape), build, values)


def _ids_query(shape: ListShape, values: Mapping[str, Any]) -> sql.Compiled:
    def build(bound: Mapping[str, Any]) -> QuerySet[Any]:
        return _list_queryset(shape, bound).values_list("pk")

    return _compiled(("proposals.ids", shape), build, values)


def _count_query(shape: ListShape, values: Mapping[str, Any]) -> sql.Compiled:
    def build(bound: Mapping[str, Any]) -> QuerySet[Any]:
        # COUNT(*) written as a plain function: as an aggregate the ORM would group by the id.
        count = Func(template="COUNT(*)", output_field=IntegerField())
        return _list_queryset(replace(shape, sort="recent"), bound).order_by().values_list(count)

    return _compiled(("proposals.count", replace(shape, sort="recent")), build, values)


def _cards_by_ids(pks: list[int]) -> list[ProposalCard]:
    values = {f"pk{index}": pk for index, pk in enumerate(pks)}

    def build(bound: Mapping[str, Any]) -> QuerySet[Any]:
        return Proposal.objects.filter(pk__in=list(bound.values())).values_list(*CARD_COLUMNS)

    rows = sql.compiled_rows(sql.compiled(("proposals.cards-by-id", len(pks)), build, values), values)
    by_pk = {row[0]: ProposalCard(*row) for row in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _compiled(key: tuple[Any, ...], build: Any, values: Mapping[str, Any]) -> sql.Compiled:
    shape = key[1]
    return sql.compiled(key, build, values, remember=not shape.search)


class ProposalCards:
    r"""The cards of one list query, for Django's paginator: ``count()`` and a slice read
    with statements compiled once per :class:`ListShape` (prepared on PostgreSQL), the
    rows of the page only, as :class:`ProposalCard`\ s.

    For the random sort, the shuffle is computed and sorted on the proposal ids alone, then
    the page's rows are fetched by id: with the joins PostgreSQL would hash-join every
    account and every (wide) row of the process before the top-N sort.
    """

    def __init__(self, process: Process, params: dict[str, Any]) -> None:
        self.shape, self.values = _list_shape(process, params)

    def count(self) -> int:
        rows = sql.compiled_rows(_count_query(self.shape, self.values), self.values)
        return int(rows[0][0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[ProposalCard]:
        offset, limit = page.start or 0, page.stop - (page.start or 0)
        if limit <= 0:  # an empty list's first page: no query, as the ORM's empty slice
            return []
        window = " LIMIT %s OFFSET %s"
        if self.shape.sort == "hasard":
            ids = sql.compiled_rows(
                _ids_query(self.shape, self.values), self.values, suffix=window, extra=[limit, offset]
            )
            return _cards_by_ids([row[0] for row in ids]) if ids else []
        rows = sql.compiled_rows(
            _cards_query(self.shape, self.values), self.values, suffix=window, extra=[limit, offset]
        )
        return [ProposalCard(*row) for row in rows]


def proposal_cards_page(
    process: Process, params: dict[str, Any], number: Any, *, count: int | None = None
) -> Page[Any]:
    """A page of the list's cards; ``count``: the number of results when the caller knows it
    (cached), which saves the ``COUNT`` query."""
    return _paginator(ProposalCards(process, params), count).get_page(number)


def _paginator(items: Any, count: int | None) -> Paginator[Any]:
    paginator: Paginator[Any] = Paginator(items, PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return paginator


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


# The author's columns the page's top block shows (the public name); the rest of the account is not read.
_BLOCKS_AUTHOR_READ = ("id", "display_name", "is_deleted")


@functools.cache
def _blocks_row_sql() -> tuple[list[sql.Part], str]:
    User = get_user_model()
    author_skipped = tuple(f.name for f in User._meta.concrete_fields if f.name not in _BLOCKS_AUTHOR_READ)
    proposal_names, proposal_cols = sql.columns(Proposal, "p")
    author_names, author_cols = sql.columns(User, "u", author_skipped)
    theme_names, theme_cols = sql.columns(Theme, "h")
    territory_names, territory_cols = sql.columns(Territory, "t", _PAGE_TERRITORY_SKIPPED)
    quote = connections[router.db_for_read(Proposal)].ops.quote_name

    def join(model: type[Any], alias: str, field: str) -> str:
        column = quote(cast("models.Field[Any, Any]", Proposal._meta.get_field(field)).column)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        return f"LEFT JOIN {table} {alias} ON {alias}.{pk} = p.{column} "

    statement = (
        f"SELECT {proposal_cols}, {author_cols}, {theme_cols}, {territory_cols} "  # noqa: S608 (model names)
        f"FROM {quote(Proposal._meta.db_table)} p "
        f"{join(User, 'u', 'author')}{join(Theme, 'h', 'theme')}{join(Territory, 't', 'territory')}"
        f"WHERE p.{quote(Proposal._meta.pk.column)} = %s"
    )
    parts = [
        sql.Part(Proposal, proposal_names),
        sql.Part(User, author_names, author_skipped),
        sql.Part(Theme, theme_names),
        sql.Part(Territory, territory_names, _PAGE_TERRITORY_SKIPPED),
    ]
    return parts, statement


@dataclass(frozen=True)
class DetailBlocksData:
    """What the cached top of a proposal page shows (``views._detail_blocks``)."""

    proposal: Proposal  # with its text, author (public name only), theme and territory
    answers: Sequence[models.Model]  # the published answers (apps.answers), the current one first
    images: list[ProposalImage]


def detail_blocks_data(proposal: Proposal) -> DetailBlocksData | None:
    """The proposal's text, author, theme, territory, images and published answers, in three
    fixed statements: read on every miss of the page's top block, the ORM compiled the same
    queries each time (about 5,000 Python calls)."""
    parts, statement = _blocks_row_sql()
    found = sql.fetch_row(parts, statement, [proposal.pk])
    if found is None:
        return None
    full: Proposal = found[0]
    full.author, full.theme, full.territory = found[1], found[2], found[3]
    full.process = proposal.process
    return DetailBlocksData(
        full, answers.published_answers(proposal), sql.instances(ProposalImage, proposal=proposal.pk)
    )


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
    the POST actions: no author, theme, territory or images, which only the page shows, and
    not its text. Fixed SQL: the support is the busiest write, its query need not be compiled
    at every request (the page's own row, its territory included)."""
    return _with_cached_process(_proposal_for_page(pk))


def proposal_commitment(proposal: Proposal) -> Commitment | None:
    from apps.followup.models import Commitment

    source_type = ContentType.objects.get_for_model(Proposal)  # cached by Django after the first call
    # Fixed SQL (one commitment per source, a unique constraint): read again after each new
    # comment, since the link is cached under the page's comment version.
    found = sql.instances(Commitment, source_type=source_type.pk, source_id=proposal.pk)
    return found[0] if found else None


@functools.cache
def _support_count_sql() -> str:
    quote = connections[router.db_for_read(Proposal)].ops.quote_name
    count = quote(Proposal._meta.get_field("support_count").column)
    table, pk = quote(Proposal._meta.db_table), quote(Proposal._meta.pk.column)
    return f"SELECT {count} FROM {table} WHERE {pk} = %s"  # noqa: S608 (model names)


def support_count(pk: int, *, default: int) -> int:
    """The proposal's support counter as stored now (``default`` if it was deleted meanwhile):
    the support box after a support or a withdrawal. Fixed SQL, as the write before it."""
    with sql.prepared_cursor(router.db_for_read(Proposal)) as cursor:
        cursor.execute(_support_count_sql(), [pk])
        row = cursor.fetchone()
    return int(row[0]) if row is not None else default


def user_supports(user: Person, proposal: Proposal) -> bool:
    # Fixed SQL: a signed-in visitor asks on every page view, the query would be compiled each time.
    return bool(user.is_authenticated and sql.exists(Support, user=user.pk, proposal=proposal.pk))


def comment_threads(proposal: Proposal, page_number: Any, user: Person) -> CommentPage:
    """A page of the proposal's comment threads (see :func:`apps.discussion.selectors.threads_of`)."""
    return discussion.threads_of(proposal, page_number, user, per_page=COMMENTS_PAGE_SIZE)
