"""What discussion holds about a person: their comments, the comments they hid as moderators,
their reports. Comments stay after the account is deleted (a public debate keeps its
contributions, from « Participant·e supprimé·e »); reports stay counted, tied to nobody."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Min
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_CONTRIBUTION, KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
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
        KEPT_CONTRIBUTION,
    ),
    Holding(
        "discussion.Comment",
        ("hidden_by",),
        STAFF,
        Fate.ACCOUNT,
        KEPT_ROLE_ACT,
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
                "created_at": iso(comment.created_at),
            }
        )
    sections["reports"] = [
        {
            "comment_id": report.comment_id,
            "reason": report.reason,
            "created_at": iso(report.created_at),
            "resolved_at": iso(report.resolved_at),
        }
        for report in Report.objects.filter(reporter=user).order_by("pk")
    ]
    return sections


class _Labels(Mapping[str, Any]):
    """The labels of discussion's export sections, read at use: the modules register their
    targets (and the sections they chose) after this manifest."""

    def _all(self) -> dict[str, Any]:
        labels: dict[str, Any] = {"comments": _("Commentaires"), "reports": _("Signalements de commentaires")}
        labels.update({t.export_section: t.export_label for t in all_targets() if t.export_label})
        return labels

    def __getitem__(self, key: str) -> Any:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


LABELS = _Labels()


def anonymise_for(user: User, label: str) -> None:
    """Reports stay counted, tied to nobody; their reason may name someone: it goes. Each
    object the person commented is told (``Target.on_change``, "author_erased"), so that the
    pages caching its comments show the deleted participant at once, not their name."""
    with translation.override(settings.LANGUAGE_CODE):
        erased = gettext("Motif effacé (compte supprimé)")
    Report.objects.filter(reporter=user).update(reporter=None, reason=erased)
    # One comment per commented object (its first), chosen by the database.
    first_per_object = (
        Comment.objects.filter(author=user).order_by().values("target_type_id", "target_id").annotate(first=Min("pk"))
    )
    for comment in Comment.objects.filter(pk__in=first_per_object.values("first")).select_related("target_type"):
        hook = target_of(comment).on_change
        if hook is not None:
            hook(comment, "author_erased")
