"""Reads of the initiatives module, each with a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from apps.core.backoffice_kit import READERS, territories_in_scope
from apps.core.models import Role, RoleAssignment, Territory
from apps.initiatives import rules
from apps.initiatives.models import Call, Decision, HelpOffer, Initiative, Resource, TimeGiven
from apps.sittings.attestation import hours_label

if TYPE_CHECKING:
    from apps.accounts.models import User

SIMILAR = 5


def public_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.filter(is_public=True).select_related("territory")


def published_calls() -> QuerySet[Call]:
    return Call.objects.filter(is_published=True).select_related("territory")


def open_calls(initiative: Initiative) -> QuerySet[Call]:
    """Published calls taking dossiers today and covering the idea's quartier."""
    today = timezone.localdate()
    chain = _chain(initiative.territory)
    return published_calls().filter(opens_on__lte=today, closes_on__gte=today, territory_id__in=chain)


def _chain(territory: Territory) -> list[int]:
    """The territory and its ancestors (a quartier's ideas may use the city's resources)."""
    ids: list[int] = []
    node: Territory | None = territory
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return ids


def resources_for(initiative: Initiative) -> QuerySet[Resource]:
    """The routing checklist: published resources answering the help asked, in the idea's
    quartier or city-wide; every resource when no help was ticked (nothing is a dead end)."""
    wanted = initiative.helps
    queryset = Resource.objects.filter(is_published=True).filter(
        Q(territory__isnull=True) | Q(territory_id__in=_chain(initiative.territory))
    )
    return queryset.filter(kind__in=wanted) if wanted else queryset


def similar_initiatives(initiative: Initiative) -> list[Initiative]:
    """Other public ideas of the same theme, the quartier's first: people doing similar things."""
    others = (
        public_initiatives()
        .filter(category=initiative.category)
        .exclude(pk=initiative.pk)
        .exclude(stage=Initiative.Stage.CLOSED)
    )
    near = list(others.filter(territory=initiative.territory)[:SIMILAR])
    if len(near) < SIMILAR:
        near += list(others.exclude(territory=initiative.territory)[: SIMILAR - len(near)])
    return near


@dataclass(frozen=True)
class Delays:
    """How long the holder waited at each step (None while it has not happened), and whether the
    referent promised by the city's deadline is late."""

    referent: datetime.timedelta | None
    first_contact: datetime.timedelta | None
    decision: datetime.timedelta | None
    referent_overdue: bool


def delays(initiative: Initiative, now: datetime.datetime | None = None) -> Delays:
    now = now or timezone.now()

    def since(moment: datetime.datetime | None) -> datetime.timedelta | None:
        return moment - initiative.created_at if moment is not None else None

    late = initiative.referent_assigned_at is None and now > initiative.referent_due
    return Delays(
        since(initiative.referent_assigned_at),
        since(initiative.first_reply_at),
        since(initiative.decision_at),
        late
        or (initiative.referent_assigned_at is not None and initiative.referent_assigned_at > initiative.referent_due),
    )


def queue_for(user: User | Any) -> QuerySet[Initiative]:
    """The door's queue in the person's scope, oldest unanswered first."""
    territories = territories_in_scope(user, READERS)
    return (
        Initiative.objects.filter(territory__in=territories)
        .select_related("territory", "referent", "call")
        .order_by("referent_assigned_at", "created_at", "pk")
    )


def calls_for(user: User | Any) -> QuerySet[Call]:
    return Call.objects.filter(territory__in=territories_in_scope(user, READERS)).select_related("territory")


def agents_for(territory: Territory) -> QuerySet[Any]:
    """Who may be named referent: the agents (or administrators) of the quartier or above it."""
    from apps.accounts.models import User

    chain = _chain(territory)
    users = RoleAssignment.objects.filter(role__in=[Role.AGENT, Role.ADMIN]).filter(
        Q(territory_id__in=chain) | Q(territory__isnull=True, process__isnull=True)
    )
    return User.objects.filter(pk__in=users.values("user_id"), is_active=True).order_by("display_name", "pk")


def published_decisions(call: Call) -> QuerySet[Decision]:
    return call.decisions.select_related("initiative__territory").order_by("decided_at", "pk")


def quartiers_with_ideas() -> QuerySet[Territory]:
    return Territory.objects.filter(pk__in=public_initiatives().values("territory_id")).order_by("name")


def published_resources() -> QuerySet[Resource]:
    return Resource.objects.filter(is_published=True).select_related("territory")


def all_resources() -> QuerySet[Resource]:
    return Resource.objects.select_related("territory")


def stories() -> QuerySet[Initiative]:
    """Public realised initiatives with their récit, the latest told first."""
    return public_initiatives().filter(stage=Initiative.Stage.REALISED).exclude(story="").order_by("-story_at", "-pk")


@dataclass(frozen=True)
class Community:
    """What an initiative's page shows of « rejoindre » and the time given, for one visitor."""

    helpers: int
    joined: bool
    can_join: bool
    can_record_time: bool
    can_tell_story: bool
    my_hours: str


def community(user: Any, initiative: Initiative) -> Community:
    offers = HelpOffer.objects.filter(initiative=initiative)
    joined = bool(user.is_authenticated and offers.filter(person=user).exists())
    hours = (
        TimeGiven.objects.filter(initiative=initiative, person=user).aggregate(total=Sum("hours"))["total"]
        if user.is_authenticated
        else None
    )
    return Community(
        helpers=offers.count(),
        joined=joined,
        can_join=not joined and rules.can_join(user, initiative),
        can_record_time=rules.can_record_time(user, initiative),
        can_tell_story=rules.can_tell_story(user, initiative),
        my_hours=hours_label(hours) if hours else "",
    )


def merge_targets(user: Any, initiative: Initiative) -> QuerySet[Initiative]:
    """Projects under way in the person's scope that ``initiative`` may join."""
    return (
        queue_for(user)
        .exclude(pk=initiative.pk)
        .exclude(stage=Initiative.Stage.CLOSED)
        .filter(merged_into__isnull=True)
        .order_by("title", "pk")
    )
