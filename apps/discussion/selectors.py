"""Reads of comments, with a bounded number of queries whatever the number of comments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
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


def threads_of(obj: Model, page_number: Any, user: Any, *, per_page: int = PAGE_SIZE) -> CommentPage:
    """A page of top-level comments, each with its whole thread in ``comment.children``.

    Three queries whatever the number of comments: the count, the page of top-level
    comments and every reply of those threads at once (through ``root``).
    """
    top_level = comments_of(obj).filter(root__isnull=True).select_related("author").order_by("created_at", "pk")
    page = Paginator(top_level, per_page).get_page(page_number)
    threads = list(page.object_list)
    roots = {comment.pk: comment for comment in threads}
    children: dict[int, list[Comment]] = defaultdict(list)
    if roots:
        replies = Comment.objects.filter(root_id__in=roots).select_related("author").order_by("created_at", "pk")
        for reply in replies:
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
