"""Reads of the notifications app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.core import sql
from apps.core.models import Process, Territory
from apps.notifications.models import Follow, Notification, follow_columns
from apps.notifications.targets import Target, can_follow, followable_for, kind_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User


def _labels(target: Target) -> tuple[str, str]:
    # Full sentences (not "Suivre" + a noun) so each language can word them its own way.
    if isinstance(target, Process):
        return _("Suivre cette démarche"), _("Ne plus suivre cette démarche")
    if isinstance(target, Territory):
        return _("Suivre ce quartier"), _("Ne plus suivre ce quartier")
    followable = followable_for(target)
    if followable is not None and followable.follow_label:
        return str(followable.follow_label), str(followable.unfollow_label)
    return _("Suivre"), _("Ne plus suivre")


def is_following(user: User, target: Target) -> bool:
    # Fixed SQL (the same rows as ``Follow.objects.filter(user=user).of(target)``): the follow
    # button asks on every page a signed-in visitor sees.
    return sql.exists(Follow, user=user.pk, **follow_columns(target))


def follow_button_context(user: User | AnonymousUser | None, target: Target, *, next_url: str) -> dict[str, Any]:
    """Context of the follow button; ``show`` is False for anonymous people."""
    kind = kind_of(target)  # raises on an object no manifest declares followable
    if user is None or not can_follow(user, target):
        return {"show": False}
    following = is_following(user, target)  # type: ignore[arg-type]
    follow_label, unfollow_label = _labels(target)
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
    """What ``user`` follows, newest first: one query, plus one per kind of module object.
    A followed object that no longer exists, or whose kind no manifest declares any more,
    is left out."""
    follows = list(
        Follow.objects.filter(user=user)
        .select_related("process", "territory")
        .prefetch_related("target")
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
        elif follow.target is not None:
            followable = followable_for(follow.target)
            if followable is None:
                continue
            items.append(
                FollowedItem(
                    followable.kind,
                    str(followable.verbose_name),
                    follow.target.pk,
                    str(follow.target),
                    follow.target.get_absolute_url(),
                )
            )
    return items
