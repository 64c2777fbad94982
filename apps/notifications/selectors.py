"""Reads of the notifications app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.notifications.models import Follow, Notification
from apps.notifications.targets import Target, can_follow, kind_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User


def _labels(kind: str) -> tuple[str, str]:
    # Full sentences (not "Suivre" + a noun) so each language can word them its own way.
    if kind == "process":
        return _("Suivre cette démarche"), _("Ne plus suivre cette démarche")
    if kind == "territory":
        return _("Suivre ce quartier"), _("Ne plus suivre ce quartier")
    return _("Suivre cette proposition"), _("Ne plus suivre cette proposition")


def is_following(user: User, target: Target) -> bool:
    return Follow.objects.filter(user=user, **{kind_of(target): target}).exists()


def follow_button_context(user: User | AnonymousUser | None, target: Target, *, next_url: str) -> dict[str, Any]:
    """Context of the follow button; ``show`` is False for anonymous people."""
    if user is None or not can_follow(user, target):
        return {"show": False}
    kind = kind_of(target)
    following = is_following(user, target)  # type: ignore[arg-type]
    follow_label, unfollow_label = _labels(kind)
    return {
        "show": True,
        "kind": kind,
        "target": target,
        "following": following,
        "label": unfollow_label if following else follow_label,
        "next_url": next_url,
    }


def inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class FollowedItem:
    kind: str
    kind_label: str
    target_id: int
    label: str
    url: str


def follows_of(user: User, limit: int = 100) -> list[FollowedItem]:
    """What ``user`` follows, newest first, in one query."""
    follows = (
        Follow.objects.filter(user=user)
        .select_related("process", "territory", "proposal")
        .order_by("-created_at", "-pk")[:limit]
    )
    items = []
    for follow in follows:
        if follow.process is not None:
            items.append(
                FollowedItem(
                    "process", _("Démarche"), follow.process.pk, follow.process.title, follow.process.get_absolute_url()
                )
            )
        elif follow.territory is not None:
            items.append(
                FollowedItem(
                    "territory",
                    _("Quartier"),
                    follow.territory.pk,
                    follow.territory.name,
                    follow.territory.get_absolute_url(),
                )
            )
        elif follow.proposal is not None:
            items.append(
                FollowedItem(
                    "proposal",
                    _("Proposition"),
                    follow.proposal.pk,
                    follow.proposal.title,
                    follow.proposal.get_absolute_url(),
                )
            )
    return items
