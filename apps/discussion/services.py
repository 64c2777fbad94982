"""Writes on comments. Keyword-only, validated, atomic; the module's side effects (counters,
caches, notifications) run through its ``Target.on_change``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import participation
from apps.core.models import audit
from apps.core.rules_kit import require
from apps.discussion import rules
from apps.discussion.models import Comment, Report
from apps.discussion.targets import Event, target_for, target_of

if TYPE_CHECKING:
    from django.db.models import Model

    from apps.accounts.models import User


def _changed(comment: Comment, event: Event) -> None:
    hook = target_of(comment).on_change
    if hook is not None:
        hook(comment, event)


@transaction.atomic
def comment_post(*, author: User, target: Model, body: str, stance: str = "", parent: Comment | None = None) -> Comment:
    """A comment on ``target``, or a reply to ``parent`` (a comment on the same object)."""
    declared = target_for(target)
    require(declared.can_comment(author, target))
    target_type = ContentType.objects.get_for_model(target)
    if parent is not None and (parent.target_type_id != target_type.pk or parent.target_id != target.pk):
        raise ValidationError({"parent": _("Ce commentaire n'appartient pas à cette page.")})
    if not body.strip():
        raise ValidationError({"body": _("Écrivez votre commentaire.")})
    comment = Comment(
        target_type=target_type,
        target_id=target.pk,
        process=declared.process_of(target),
        author=author,
        parent=parent,
        root=(parent.root or parent) if parent is not None else None,
        body=body.strip(),
        stance=(stance or Comment.Stance.NEUTRAL) if declared.stances else "",
    )
    comment.full_clean()
    comment.save()
    participation.record(module=target._meta.app_label, kind="comment", person=author, process=comment.process)
    _changed(comment, "post")
    return comment


def comment_report(*, reporter: User, comment: Comment, reason: str) -> Report:
    require(rules.can_report(reporter, comment))
    report, _created = Report.objects.get_or_create(
        comment=comment, reporter=reporter, defaults={"reason": reason.strip()[:250]}
    )
    return report


@transaction.atomic
def comment_hide(*, moderator: User, comment: Comment, reason: str) -> Comment:
    """Hides the comment with a reason shown in its place, and closes its reports."""
    require(rules.can_moderate(moderator, comment))
    if not reason.strip():
        raise ValidationError({"hidden_reason": _("Indiquez le motif du masquage : il est affiché publiquement.")})
    comment.is_hidden = True
    comment.hidden_reason = reason.strip()
    comment.hidden_by = moderator
    comment.hidden_at = timezone.now()
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    _changed(comment, "hide")
    audit(moderator, "comment.hide", comment, reason=comment.hidden_reason)
    return comment


@transaction.atomic
def comment_unhide(*, moderator: User, comment: Comment) -> Comment:
    require(rules.can_moderate(moderator, comment))
    comment.is_hidden = False
    comment.hidden_reason = ""
    comment.hidden_by = None
    comment.hidden_at = None
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    _changed(comment, "unhide")
    audit(moderator, "comment.unhide", comment)
    return comment


@transaction.atomic
def report_dismiss(*, moderator: User, comment: Comment) -> int:
    require(rules.can_moderate(moderator, comment))
    count = comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    audit(moderator, "comment.reports_dismissed", comment, count=count)
    return count
