"""« Portes ouvertes »: moments a project opens its doors (come and see, lend a hand). Holders
announce them; the public list and its iCal feed show the upcoming ones, and the neighbourhood
agenda lists them through the manifest's ``public_meetings`` (without importing this module)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import audit
from apps.core.registry import PublicMeeting
from apps.initiatives import rules
from apps.initiatives.models import Initiative, OpenDoor
from apps.notifications.models import Notification
from apps.notifications.services import followers_of, notify

if TYPE_CHECKING:
    from apps.accounts.models import User

# Announced at most this far ahead: a date typed with the wrong year is caught.
HORIZON = datetime.timedelta(days=400)
FEED_LIMIT = 200


def open_door_announce(
    *,
    actor: User,
    initiative: Initiative,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None,
    place: str,
    description: str,
) -> OpenDoor:
    if not rules.can_announce_open_door(actor, initiative):
        raise ValidationError(_("Seul·es les porteur·ses d'un projet public annoncent ses portes ouvertes."))
    now = timezone.now()
    if starts_at < now:
        raise ValidationError({"starts_at": _("Choisissez une date à venir.")})
    if starts_at > now + HORIZON:
        raise ValidationError({"starts_at": _("Annoncez des portes ouvertes dans l'année qui vient.")})
    if ends_at is not None and ends_at < starts_at:
        raise ValidationError({"ends_at": _("La fin doit venir après le début.")})
    door = OpenDoor(
        initiative=initiative,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        description=description.strip(),
        created_by=actor,
    )
    door.full_clean(exclude=["created_by"], validate_constraints=False)
    door.save()
    audit(actor, "initiative.open_door", initiative, starts_at=starts_at.isoformat())
    notify(
        user_ids=followers_of(initiative),
        kind=Notification.Kind.STATUS,
        title=_("Portes ouvertes de « %(title)s » le %(day)s")
        % {"title": initiative.title, "day": timezone.localtime(starts_at).strftime("%d/%m/%Y")},
        url=reverse("initiatives:open_doors") + f"#portes-{door.pk}",
        exclude=actor.pk,
    )
    return door


def open_door_cancel(*, actor: User, door: OpenDoor) -> None:
    if not rules.can_announce_open_door(actor, door.initiative):
        raise ValidationError(_("Seul·es les porteur·ses du projet annulent ses portes ouvertes."))
    audit(actor, "initiative.open_door_cancel", door.initiative, starts_at=door.starts_at.isoformat())
    door.delete()


def public_open_doors() -> QuerySet[OpenDoor]:
    """Open doors of public projects still alive, soonest first."""
    return (
        OpenDoor.objects.filter(initiative__is_public=True)
        .exclude(initiative__stage=Initiative.Stage.CLOSED)
        .select_related("initiative", "initiative__territory")
        .order_by("starts_at", "pk")
    )


def upcoming_open_doors(territory_id: int | None = None) -> QuerySet[OpenDoor]:
    # A moment still running (started less than its length ago) stays listed until it ends.
    queryset = public_open_doors().filter(starts_at__gte=timezone.now() - datetime.timedelta(hours=3))
    return queryset if territory_id is None else queryset.filter(initiative__territory_id=territory_id)


def as_meeting(door: OpenDoor) -> PublicMeeting:
    initiative = door.initiative
    return PublicMeeting(
        key=f"initiatives-open-door-{door.pk}",
        title=_("Portes ouvertes : %(title)s") % {"title": initiative.title},
        organiser=_("Initiative habitante « %(title)s »") % {"title": initiative.title},
        starts_at=door.starts_at,
        ends_at=door.ends_at,
        place=door.place,
        territory_id=initiative.territory_id,
        url=initiative.get_absolute_url(),
    )


def public_meetings(start: datetime.datetime, end: datetime.datetime) -> Iterator[PublicMeeting]:
    """The manifest's hook: the neighbourhood agenda lists the open doors beside its rendez-vous."""
    doors = public_open_doors().filter(starts_at__gte=start, starts_at__lt=end)[:FEED_LIMIT]
    for door in doors:
        yield as_meeting(door)
