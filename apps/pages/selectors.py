"""Reads of the public pages. Process states are computed in the database from phase
dates (first start, last end), so lists can be filtered and paginated without loading
every process; the phases themselves are prefetched for the cards."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.core.models import ParticipationEvent, Phase, Process, Territory
from apps.followup.models import Commitment, CommitmentUpdate

STATES = ("open", "upcoming", "closed")


def public_processes() -> QuerySet[Process]:
    return (
        Process.objects.published()
        .annotate(first_start=Min("phases__starts_at"), last_end=Max("phases__ends_at"))
        .select_related("territory")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("starts_at", "pk")), "themes")
    )


def with_state(queryset: QuerySet[Process], state: str, now: datetime.datetime | None = None) -> QuerySet[Process]:
    """Same rule as ``Process.state()``: no phase or not started yet means upcoming."""
    now = now or timezone.now()
    if state == "open":
        return queryset.filter(Q(first_start__lte=now) & Q(last_end__gt=now))
    if state == "upcoming":
        return queryset.filter(Q(first_start__isnull=True) | Q(first_start__gt=now))
    if state == "closed":
        return queryset.filter(Q(last_end__lte=now))
    return queryset


def in_territories(queryset: QuerySet[Process], territory_ids: Iterable[int]) -> QuerySet[Process]:
    return queryset.filter(territory_id__in=list(territory_ids))


def open_processes_near(territory: Territory) -> QuerySet[Process]:
    """Open processes of a quartier (and its sub-areas) and of the areas that contain it."""
    ids = set(territory.descendant_ids()) | set(territory.ancestor_ids())
    return with_state(in_territories(public_processes(), ids), "open").order_by("last_end", "pk")


def recent_commitment_updates(limit: int = 5, territory_ids: Iterable[int] | None = None) -> list[CommitmentUpdate]:
    queryset = CommitmentUpdate.objects.filter(commitment__process__is_published=True)
    if territory_ids is not None:
        queryset = queryset.filter(commitment__territory_id__in=list(territory_ids))
    return list(
        queryset.select_related("commitment", "commitment__process", "commitment__territory").order_by("-date", "-pk")[
            :limit
        ]
    )


def quartiers() -> list[Territory]:
    return list(Territory.objects.filter(kind=Territory.Kind.QUARTIER).order_by("name"))


def commitments_in(territory_ids: Iterable[int], limit: int = 10) -> list[Commitment]:
    return list(
        Commitment.objects.filter(territory_id__in=list(territory_ids), process__is_published=True)
        .select_related("process", "service")
        .order_by("planned_date", "pk")[:limit]
    )


@dataclass(frozen=True)
class TerritoryFigures:
    """The quartier page's figures: what is open, what the City committed to, who took part."""

    open_processes: int
    commitments: int
    commitments_done: int
    commitments_overdue: int
    participations_year: int


def territory_figures(territory_ids: Iterable[int], *, open_processes: int) -> TerritoryFigures:
    ids = list(territory_ids)
    today = timezone.localdate()
    active = [Commitment.State.PLANNED, Commitment.State.IN_PROGRESS]
    counts = Commitment.objects.filter(territory_id__in=ids, process__is_published=True).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(state=Commitment.State.DONE)),
        overdue=Count("pk", filter=Q(state__in=active, planned_date__lt=today)),
    )
    # Acts of participation by residents of the quartier (their quartier when they took part).
    year = ParticipationEvent.objects.filter(territory_id__in=ids, day__gt=today - datetime.timedelta(days=365))
    return TerritoryFigures(
        open_processes=open_processes,
        commitments=counts["total"],
        commitments_done=counts["done"],
        commitments_overdue=counts["overdue"],
        participations_year=year.count(),
    )
