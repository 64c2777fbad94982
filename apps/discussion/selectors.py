"""Reads of comments, with a bounded number of queries whatever the number of comments."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import connections, models, router
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import ngettext

from apps.backoffice.selectors import target_ids
from apps.core import sql
from apps.core.backoffice_kit import MODERATORS, scope_for
from apps.core.models import Process
from apps.core.registry import ToDo
from apps.discussion import rules
from apps.discussion.models import Comment, Report
from apps.discussion.targets import target_of

if TYPE_CHECKING:
    from django.db.models import Model

PAGE_SIZE = 20


def comments_of(obj: Model) -> QuerySet[Comment]:
    """Every comment of ``obj`` (threads flattened), oldest first."""
    return Comment.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)


def comments_on(objects: QuerySet[Any]) -> QuerySet[Comment]:
    """Every comment of the objects of a queryset (one model)."""
    target_type = ContentType.objects.get_for_model(objects.model)
    return Comment.objects.filter(target_type=target_type, target_id__in=objects.order_by().values("pk"))


@dataclass
class CommentPage:
    page: Page[Comment]
    threads: list[Comment]


# The author's columns a comment shows (its public name); the rest of the account is not read.
_AUTHOR_READ = ("id", "display_name", "is_deleted")


@functools.cache
def _threads_sql() -> tuple[sql.Part, sql.Part, str, str, str]:
    """The fixed statements of :func:`threads_of`: the count of top-level comments, a page of
    them and every reply of some threads, each comment with its author's public name."""
    from apps.accounts.models import User

    quote = connections[router.db_for_read(Comment)].ops.quote_name
    skipped = tuple(f.name for f in User._meta.concrete_fields if f.name not in _AUTHOR_READ)
    comment_names, comment_cols = sql.columns(Comment, "c")
    author_names, author_cols = sql.columns(User, "u", skipped)
    table, authors = quote(Comment._meta.db_table), quote(User._meta.db_table)

    def column(name: str) -> str:
        field = cast("models.Field[Any, Any]", Comment._meta.get_field(name))
        return f"c.{quote(field.column)}"

    rows = (
        f"SELECT {comment_cols}, {author_cols} FROM {table} c "  # noqa: S608 (model names)
        f"LEFT JOIN {authors} u ON u.{quote(User._meta.pk.column)} = {column('author')} "
    )
    top_level = f"{column('target_type')} = %s AND {column('target_id')} = %s AND {column('root')} IS NULL"
    order = f" ORDER BY {column('created_at')}, {column('id')}"
    page = f"WHERE {top_level}{order} LIMIT %s OFFSET %s"
    return (
        sql.Part(Comment, comment_names),
        sql.Part(User, author_names, skipped),
        f"SELECT COUNT(*) FROM {table} c WHERE {top_level}",  # noqa: S608 (model names)
        f"{rows}{page}",
        # The replies of the same page of threads (a subquery: one statement text on every
        # database, whatever the number of threads).
        f"{rows}WHERE {column('root')} IN (SELECT {column('id')} FROM {table} c {page}){order}",  # noqa: S608
    )


class _TopLevel:
    """The top-level comments of an object, as the paginator reads them: a count, then one
    slice, each a prepared statement (what the ORM compiled on every page view before)."""

    ordered = True

    def __init__(self, target_type_id: int, target_id: int) -> None:
        self.params = [target_type_id, target_id]
        self.comment, self.author, self.count_sql, self.page_sql, self.replies_sql = _threads_sql()
        self.db = router.db_for_read(Comment)

    def count(self) -> int:
        with sql.prepared_cursor(self.db) as cursor:
            cursor.execute(self.count_sql, self.params)
            return int(cursor.fetchone()[0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Comment]:
        self.window = [window.stop - (window.start or 0), window.start or 0]
        return self.rows(self.page_sql) if self.window[0] > 0 else []

    def rows(self, statement: str) -> list[Comment]:
        """The comments of ``statement`` for the page last sliced."""
        comments = []
        for comment, author in sql.fetch_rows((self.comment, self.author), statement, [*self.params, *self.window]):
            comment.author = author
            comments.append(comment)
        return comments


def threads_of(obj: Model, page_number: Any, user: Any, *, per_page: int = PAGE_SIZE) -> CommentPage:
    """A page of top-level comments, each with its whole thread in ``comment.children``.

    Three prepared statements whatever the number of comments: the count, the page of
    top-level comments and every reply of those threads at once (through ``root``); each
    comment's author carries only what it shows (public name).
    """
    top_level = _TopLevel(ContentType.objects.get_for_model(obj).pk, obj.pk)
    paginator: Paginator[Comment] = Paginator(top_level, per_page)  # type: ignore[arg-type]
    page = paginator.get_page(page_number)
    threads = list(page.object_list)
    roots = {comment.pk: comment for comment in threads}
    children: dict[int, list[Comment]] = defaultdict(list)
    if roots:
        for reply in top_level.rows(top_level.replies_sql):
            children[reply.parent_id or reply.root_id or 0].append(reply)
    # Permissions per comment are cheap (no query): computed once here, read by the template.
    every = list(threads) + [reply for group in children.values() for reply in group]
    for comment in every:
        comment.children = children.get(comment.pk, [])
        comment.can_report = rules.can_report(user, comment)
    return CommentPage(page=page, threads=threads)


def page_number_of(comment: Comment, *, per_page: int = PAGE_SIZE) -> int:
    """The threads page on which ``comment``'s thread is shown."""
    root = comment.root or comment
    before = Comment.objects.filter(
        target_type_id=root.target_type_id, target_id=root.target_id, root__isnull=True
    ).filter(Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk))
    return before.count() // per_page + 1


def has_commented(user: Any, obj: Model) -> bool:
    """Whether ``user`` wrote a comment of ``obj`` (hidden ones included). Fixed SQL, the same
    rows as ``comments_of(obj).filter(author=user)``: a signed-in visitor's page asks on every view."""
    if not user.is_authenticated:
        return False
    target_type = ContentType.objects.get_for_model(obj)
    return sql.exists(Comment, target_type=target_type.pk, target_id=obj.pk, author=user.pk)


def open_reports() -> QuerySet[Report]:
    return Report.objects.filter(resolved_at__isnull=True)


def reported_comments() -> QuerySet[Comment]:
    """Comments with at least one report not yet dealt with."""
    return Comment.objects.filter(Exists(open_reports().filter(comment=OuterRef("pk"))))


def reported_count_by_process() -> Coalesce:
    """A correlated subquery for a queryset of processes: their reported comments."""
    counted = (
        reported_comments()
        .filter(process=OuterRef("pk"))
        .order_by()
        .values("process")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def dashboard_counts(processes: QuerySet[Process]) -> QuerySet[Process]:
    """The back-office dashboard's « reported comments » column (``ModuleManifest.dashboard_counts``)."""
    return processes.annotate(reported_total=reported_count_by_process())


def audit_targets(processes: QuerySet[Process]) -> Q:
    """Audit entries about the comments of ``processes`` (``ModuleManifest.audit_targets``):
    what an administrator scoped to these processes sees of moderation."""
    return Q(
        target_type="discussion.comment",
        target_id__in=target_ids(Comment.objects.filter(process__in=processes)),
    )


def moderation_queue(user: Any) -> QuerySet[Comment]:
    """Reported comments of every module in the moderator's scope, most reported first."""
    scope = scope_for(user, MODERATORS)
    if scope.is_empty:
        return Comment.objects.none()
    counted = (
        open_reports().filter(comment=OuterRef("pk")).order_by().values("comment").annotate(n=Count("pk")).values("n")
    )
    return (
        reported_comments()
        .filter(scope.process_filter("process__") if not scope.city_wide else Q())
        .select_related("process", "author", "target_type")
        .annotate(open_report_total=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)))
        .order_by("-open_report_total", "created_at")
    )


def describe(comments: Iterable[Comment]) -> None:
    """Sets ``target_title`` and ``target_url`` on each comment (its object prefetched)."""
    for comment in comments:
        target = target_of(comment)
        obj = comment.target
        comment.target_title = target.title_of(obj) if obj is not None else ""  # type: ignore[attr-defined]
        comment.target_url = target.url_of(obj) if obj is not None else ""  # type: ignore[attr-defined]


def moderation_todo(user: Any) -> Iterator[ToDo]:
    """The back office's « À faire » line of the moderation queue (``ModuleManifest.todo``)."""
    waiting = moderation_queue(user).count()
    if waiting:
        label = ngettext("%(n)d commentaire signalé à examiner", "%(n)d commentaires signalés à examiner", waiting) % {
            "n": waiting
        }
        yield ToDo(label, waiting, reverse("discussion:moderation"))
