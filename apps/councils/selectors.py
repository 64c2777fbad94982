"""Reads of the councils pages, each with a bounded number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from apps.councils import rules
from apps.councils.models import Attendance, College, Council, Decision, Meeting, Membership

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


def public_meetings(council: Council) -> QuerySet[Meeting]:
    return council.meetings.filter(is_published=True).order_by("-starts_at", "-pk")


def public_decisions(council: Council) -> QuerySet[Decision]:
    return council.decisions.filter(is_published=True).select_related("commitment").order_by("-decided_on", "-pk")


def my_memberships(council: Council, user: Person) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(council.memberships.filter(user_id=user.pk).order_by("-term_start", "-pk"))


def attended_sessions(membership: Membership) -> list[tuple[datetime.date, str]]:
    """(date, title) of each meeting the member attended, oldest first."""
    attendances = (
        Attendance.objects.filter(membership=membership, status=Attendance.Status.PRESENT)
        .select_related("meeting")
        .order_by("meeting__starts_at", "meeting_id")
    )
    return [(timezone.localtime(a.meeting.starts_at).date(), a.meeting.title) for a in attendances]


# --- back office --------------------------------------------------------------------------------


def councils_for_staff(user: Person) -> list[Council]:
    """The councils the person may read in the back office (a query, then a role check per row
    that reads the cached role assignments: no query per council)."""
    councils = Council.objects.select_related("territory", "territory__parent", "territory__parent__parent").annotate(
        active_total=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE), distinct=True)
    )
    return [council for council in councils.order_by("name", "pk") if rules.can_read_council_backoffice(user, council)]


def attendance_grid(meeting: Meeting) -> list[tuple[Membership, str]]:
    from apps.councils.services import members_at

    recorded = dict(meeting.attendances.values_list("membership_id", "status"))
    return [(membership, recorded.get(membership.pk, "")) for membership in members_at(meeting)]


def attendance_counts(meetings: list[Meeting]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Attendance.objects.filter(meeting__in=meetings)
        .values("meeting_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["meeting_id"]][row["status"]] = row["n"]
    return counts
