"""Reads of the agenda, with a fixed number of queries whatever the number of events."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from apps.agenda import rules
from apps.agenda.models import AgendaItem, CalendarToken, Event, ItemSupport, Outcome, Registration, Sequence
from apps.core import registry
from apps.core.backoffice_kit import scope_for
from apps.core.models import Process, Territory
from apps.core.registry import PublicMeeting

if TYPE_CHECKING:
    from apps.accounts.models import User


def _with_sitting(queryset: QuerySet[Event]) -> Any:
    """Events with their sitting prefetched, ``starts`` (the sitting's start, to sort and filter
    on) and ``confirmed_count`` annotated."""
    return (
        queryset.select_related("territory", "process")
        .prefetch_related("sittings")
        .annotate(
            starts=Min("sittings__starts_at"),
            confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        )
    )


def public_events(*, territory: Territory | None = None, process: Process | None = None, past: bool = False) -> Any:
    """Published events (cancelled ones included: people must learn they are off), upcoming
    soonest first or past latest first. A city-level territory shows every quartier's."""
    queryset: QuerySet[Event] = Event.objects.published()
    if territory is not None:
        queryset = queryset.filter(territory_id__in=[territory.pk, *territory_children(territory)])
    if process is not None:
        queryset = queryset.filter(process=process)
    now = timezone.now()
    annotated = _with_sitting(queryset)
    if past:
        return annotated.filter(starts__lt=now).order_by("-starts", "-pk")
    return annotated.filter(starts__gte=now).order_by("starts", "pk")


# How far ahead the agenda shows the other bodies' public meetings (councils' sittings).
MEETINGS_AHEAD = datetime.timedelta(days=92)
MEETINGS_BEHIND = datetime.timedelta(days=90)


def other_public_meetings(*, territory: Territory | None = None, past: bool = False) -> list[PublicMeeting]:
    """The public meetings other modules declare in their manifests (a council's sittings),
    upcoming ones or the recent past, for the city or a quartier (and its sub-areas)."""
    now = timezone.now()
    start, end = (now - MEETINGS_BEHIND, now) if past else (now, now + MEETINGS_AHEAD)
    territory_ids = None if territory is None else [territory.pk, *territory_children(territory)]
    meetings = registry.public_meetings(start, end, territory_ids)
    return meetings[::-1] if past else meetings


def territory_children(territory: Territory) -> list[int]:
    return list(Territory.objects.filter(parent=territory).values_list("pk", flat=True))


def quartiers_with_events() -> QuerySet[Territory]:
    return Territory.objects.filter(agenda_events__is_published=True).distinct().order_by("name")


def event_for(user: Any, pk: int) -> Event | None:
    """The event ``pk`` if ``user`` may see it (a draft: its quartier's staff only)."""
    event: Event | None = _with_sitting(Event.objects.filter(pk=pk)).first()
    if event is None or not rules.can_view_event(user, event):
        return None
    return event


def events_for_staff(user: User) -> Any:
    scope = scope_for(user, rules.READERS)
    queryset = Event.objects.all()
    if not scope.city_wide:
        queryset = queryset.filter(territory_id__in=scope.territory_ids)
    return _with_sitting(queryset).order_by("-starts", "-pk")


@dataclass(frozen=True)
class Sequences:
    """The items and outcomes of an event grouped by the three sequences, in their order."""

    groups: list[tuple[str, str, list[AgendaItem], list[Outcome]]]


def sequences(event: Event, user: Any) -> Sequences:
    """Three queries: items, the person's supports, outcomes (with their links)."""
    items = list(event.items.select_related("author").order_by("-support_count", "pk"))
    supported: set[int] = set()
    if user.is_authenticated:
        supported = set(ItemSupport.objects.filter(item__event=event, user=user).values_list("item_id", flat=True))
    outcomes = list(
        event.outcomes.select_related("commitment", "answer", "item").order_by("pk")
        if event.sitting is not None and event.sitting.minutes
        else []
    )
    by_sequence_items: dict[str, list[AgendaItem]] = defaultdict(list)
    for item in items:
        setattr(item, "supported", item.pk in supported)  # noqa: B010  (read by the template)
        by_sequence_items[item.sequence].append(item)
    by_sequence_outcomes: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_sequence_outcomes[outcome.sequence].append(outcome)
    return Sequences(
        [
            (value, str(label), by_sequence_items[value], by_sequence_outcomes[value])
            for value, label in Sequence.choices
        ]
    )


def registration_of(event: Event, user: Any) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def waiting_rank(registration: Registration) -> int:
    """1 for the first person waiting."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Registration.Status.WAITING,
        )
        .filter(Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk))
        .count()
        + 1
    )


def my_registrations(user: User) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event__territory")
        .prefetch_related("event__sittings")
        .annotate(starts=Min("event__sittings__starts_at"))
        .order_by("-starts", "-pk")
    )


def registration_summary(event: Event) -> dict[str, int]:
    """Counts for the team: places, waiting list and access needs to prepare (no names)."""
    active = event.registrations.exclude(status=Registration.Status.CANCELLED)
    counts = active.aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
        childcare=Count("pk", filter=Q(childcare=True, status=Registration.Status.CONFIRMED)),
        interpretation=Count("pk", filter=~Q(interpretation="") & Q(status=Registration.Status.CONFIRMED)),
        sign_language=Count("pk", filter=Q(sign_language=True, status=Registration.Status.CONFIRMED)),
        step_free=Count("pk", filter=Q(step_free=True, status=Registration.Status.CONFIRMED)),
    )
    return {key: value or 0 for key, value in counts.items()}


def interpretation_languages(event: Event) -> list[tuple[str, int]]:
    rows = (
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .exclude(interpretation="")
        .values("interpretation")
        .annotate(n=Count("pk"))
        .order_by("interpretation")
    )
    return [(row["interpretation"], row["n"]) for row in rows]


def signin_total(event: Event) -> int:
    return int(event.signin_counts.aggregate(total=Sum("count"))["total"] or 0)


def user_for_token(token: str) -> User | None:
    from apps.agenda.models import token_digest

    if not token or len(token) > 100:
        return None
    found = CalendarToken.objects.select_related("user").filter(digest=token_digest(token)).first()
    if found is None or not found.user.is_active or getattr(found.user, "is_deleted", False):
        return None
    return found.user


def has_calendar_token(user: User) -> bool:
    return CalendarToken.objects.filter(user=user).exists()


def feed_events_for_user(user: User, since: datetime.datetime) -> Any:
    """The events the person holds a place or a rank on (published only), recent and upcoming."""
    ids = (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("event_id", flat=True)
    )
    return _with_sitting(Event.objects.published().filter(pk__in=ids)).filter(starts__gte=since).order_by("starts")
