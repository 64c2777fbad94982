"""What the notifications app holds about a person (RGPD): follows and notifications, both
deleted with the account. Declared in the notifications manifest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import Fate, Holding, iso
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
    Holding("notifications.Follow", ("user",), "follows", Fate.DELETED),
    Holding("notifications.Notification", ("user", "emailed_at"), "notifications", Fate.DELETED),
)


def _follows(user: User) -> Rows:
    from apps.notifications.models import Follow
    from apps.notifications.targets import followable_for

    queryset = (
        Follow.objects.filter(user=user)
        .select_related("process", "territory")
        .prefetch_related("target")
        .order_by("pk")
    )
    rows: Rows = []
    for f in queryset:
        if f.process_id:
            kind = "process"
        elif f.territory_id:
            kind = "territory"
        else:
            followable = followable_for(f.target) if f.target is not None else None
            kind = followable.kind if followable is not None else f.target_type.model if f.target_type else ""
        rows.append(
            {"kind": kind, "target": str(f.process or f.territory or f.target), "created_at": iso(f.created_at)}
        )
    return rows


def _notifications(user: User) -> Rows:
    from apps.notifications.models import Notification

    return [
        {
            "kind": n.kind,
            "title": n.title,
            "body": n.body,
            "url": n.url,
            "created_at": iso(n.created_at),
            "read_at": iso(n.read_at),
            "emailed_at": iso(n.emailed_at),
        }
        for n in Notification.objects.filter(user=user).order_by("pk")
    ]


def export(user: User) -> dict[str, Rows]:
    return {"follows": _follows(user), "notifications": _notifications(user)}


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    export=export,
    labels={"follows": _("Abonnements"), "notifications": _("Notifications")},
)
