"""What discussion holds about a person: their comments, the comments they hid as moderators,
their reports. Comments stay after the account is deleted (a public debate keeps its
contributions, from « Participant·e supprimé·e »); reports stay counted, tied to nobody."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from apps.core.personal_data import STAFF, Fate, Holding
from apps.discussion.models import Comment, Report
from apps.discussion.targets import all_targets, target_of

if TYPE_CHECKING:
    from apps.accounts.models import User

Rows = list[dict[str, Any]]

HOLDINGS = (
    Holding(
        "discussion.Comment",
        ("author",),
        "comments",
        Fate.ACCOUNT,
        "Contribution to a public debate: it stays, shown as from « Participant·e supprimé·e ».",
    ),
    Holding(
        "discussion.Comment",
        ("hidden_by",),
        STAFF,
        Fate.ACCOUNT,
        "Act done in a role (agent, élu·e, moderator, administrator): the city must be able to show who "
        "acted; the account row is emptied, so the act is tied to a numbered deleted account only.",
    ),
    Holding(
        "discussion.Comment",
        ("hidden_reason",),
        None,
        Fate.KEPT,
        "A moderator's public reason for hiding a comment, about the comment, not a person.",
    ),
    Holding(
        "discussion.Report",
        ("reporter", "reason"),
        "reports",
        Fate.ERASED,
        "The report stays counted for moderation, tied to nobody, its reason replaced by « Motif effacé ».",
    ),
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_for(user: User) -> Mapping[str, Rows]:
    """The person's comments, in the export section their module chose (« comments » for
    proposals, « budget_comments » for budget projects), and their reports."""
    sections: dict[str, Rows] = {"comments": [], **{target.export_section: [] for target in all_targets()}}
    comments = Comment.objects.filter(author=user).select_related("target_type").prefetch_related("target")
    for comment in comments.order_by("pk"):
        target = target_of(comment)
        sections[target.export_section].append(
            {
                "id": comment.pk,
                "on": target.model,
                "target_id": comment.target_id,
                "target": target.title_of(comment.target) if comment.target is not None else None,
                "body": comment.body,
                "stance": comment.stance,
                "parent_id": comment.parent_id,
                "is_hidden": comment.is_hidden,
                "created_at": _iso(comment.created_at),
            }
        )
    sections["reports"] = [
        {
            "comment_id": report.comment_id,
            "reason": report.reason,
            "created_at": _iso(report.created_at),
            "resolved_at": _iso(report.resolved_at),
        }
        for report in Report.objects.filter(reporter=user).order_by("pk")
    ]
    return sections


def anonymise_for(user: User, label: str) -> None:
    """Reports stay counted, tied to nobody; their reason may name someone: it goes."""
    with translation.override(settings.LANGUAGE_CODE):
        erased = gettext("Motif effacé (compte supprimé)")
    Report.objects.filter(reporter=user).update(reporter=None, reason=erased)
