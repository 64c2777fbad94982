"""Reads of the councils pages, each with a bounded number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from apps.core.covers import is_cover_of
from apps.councils import rules
from apps.councils.models import College, Council, Decision, Membership
from apps.sittings import selectors as sittings
from apps.sittings.attestation import sitting_lines
from apps.sittings.models import Sitting

if TYPE_CHECKING:
    from apps.councils.rules import Person


@dataclass
class CollegeRow:
    college: str
    label: str
    seats: int
    members: list[Membership] = field(default_factory=list)

    @property
    def filled(self) -> int:
        return len(self.members)

    @property
    def vacant(self) -> int:
        return max(self.seats - self.filled, 0)


def published_councils() -> QuerySet[Council]:
    return (
        Council.objects.published()
        .select_related("territory")
        .annotate(
            active_total=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE), distinct=True)
        )
        .order_by("name", "pk")
    )


def council_by_slug(slug: str, user: Person) -> Council | None:
    council = Council.objects.select_related("territory", "process").filter(slug=slug).first()
    if council is None or not rules.can_view_council(user, council):
        return None
    return council


def composition(council: Council) -> list[CollegeRow]:
    """The colleges that have seats (or sitting members), with their active members."""
    rows = {value: CollegeRow(value, str(label), council.seats(value)) for value, label in College.choices}
    active = council.memberships.filter(status=Membership.Status.ACTIVE).order_by("college", "public_name", "pk")
    for membership in active:
        rows[membership.college].members.append(membership)
    return [row for row in rows.values() if row.seats or row.members]


def next_renewal(council: Council) -> datetime.date | None:
    value: datetime.date | None = council.memberships.filter(status=Membership.Status.ACTIVE).aggregate(
        next=Min("term_end")
    )["next"]
    return value


def public_meetings(council: Council) -> QuerySet[Sitting]:
    return sittings.published_sittings_of(council).order_by("-starts_at", "-pk")


def meeting_by_pk(pk: int) -> tuple[Sitting, Council] | None:
    """A council meeting and its council (None for an unknown id or another body's sitting)."""
    meeting = sittings.sitting_of(Council, pk)
    return None if meeting is None else (meeting, council_of(meeting))


def meeting_of(council: Council, pk: int) -> Sitting | None:
    return sittings.sittings_of(council).filter(pk=pk).first()


def public_decisions(council: Council) -> QuerySet[Decision]:
    return council.decisions.filter(is_published=True).select_related("commitment").order_by("-decided_on", "-pk")


def my_memberships(council: Council, user: Person) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(council.memberships.filter(user_id=user.pk).order_by("-term_start", "-pk"))


def attended_sessions(membership: Membership) -> list[tuple[datetime.date, str]]:
    """(date, title) of each meeting the member attended, oldest first."""
    return sitting_lines(sittings.attended_sittings(membership))


# --- back office --------------------------------------------------------------------------------


def councils_for_staff(user: Person) -> list[Council]:
    """The councils the person may read in the back office (a query, then a role check per row
    that reads the cached role assignments: no query per council)."""
    councils = Council.objects.select_related("territory", "territory__parent", "territory__parent__parent").annotate(
        active_total=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE), distinct=True)
    )
    return [council for council in councils.order_by("name", "pk") if rules.can_read_council_backoffice(user, council)]


def council_of(meeting: Sitting) -> Council:
    """The council a meeting belongs to (a sitting of another body is refused)."""
    if not meeting.belongs_to_model(Council):
        raise Council.DoesNotExist
    return Council.objects.select_related("territory", "process").get(pk=meeting.body_id)


def members_at(meeting: Sitting) -> QuerySet[Membership]:
    """Memberships whose term covers the day of the meeting (the rows of its attendance grid)."""
    day = timezone.localtime(meeting.starts_at).date()
    return (
        Membership.objects.filter(council_id=meeting.body_id, term_start__lte=day)
        .filter(Q(ended_on__isnull=True, term_end__gte=day) | Q(ended_on__gte=day))
        .order_by("college", "public_name", "pk")
    )


def attendance_grid(meeting: Sitting) -> list[tuple[Membership, str]]:
    recorded = sittings.attendance_statuses(meeting, Membership)
    return [(membership, recorded.get(membership.pk, "")) for membership in members_at(meeting)]


def attendance_counts(meetings: list[Sitting]) -> dict[int, dict[str, int]]:
    return sittings.attendance_counts(meetings)


def is_public_cover(name: str) -> bool:
    """The cover of a published council, or one of its copies (``/media/``)."""
    return is_cover_of(name, Council.objects.published())
