"""What citizen councils hold about a person (RGPD), declared in its manifest: seats (with
attendance), the names they give the person, and the audit entries about those seats.

Attendance is read through ``Meeting``, which moves to the shared sittings app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
from apps.core.registry import PersonalData, Rows

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
    Holding("councils.Renewal", ("actor",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "councils.Membership",
        ("user", "full_name", "public_name"),
        "council_memberships",
        Fate.ERASED,
        "The seat, its term and attendance stay (the council's composition is a public record), tied to "
        "nobody and shown as « Participant·e supprimé·e ».",
    ),
)


def _council_memberships(user: User) -> Rows:
    from apps.councils.models import Membership

    queryset = (
        Membership.objects.filter(user=user)
        .select_related("council")
        .prefetch_related("attendances__meeting")
        .order_by("pk")
    )
    return [
        {
            "council": m.council.name,
            "college": m.college,
            "college_label": str(m.get_college_display()),
            "full_name": m.full_name,
            "public_name": m.public_name,
            "origin": m.origin,
            "term_start": iso(m.term_start),
            "term_end": iso(m.term_end),
            "status": m.status,
            "status_label": str(m.get_status_display()),
            "attendance": [
                {"meeting": a.meeting.title, "starts_at": iso(a.meeting.starts_at), "status": a.status}
                for a in m.attendances.all()
            ],
        }
        for m in queryset
    ]


def export(user: User) -> dict[str, Rows]:
    return {"council_memberships": _council_memberships(user)}


def names(user: User) -> Iterable[str]:
    from apps.councils.models import Membership

    for full_name, public_name in Membership.objects.filter(user=user).values_list("full_name", "public_name"):
        yield from (full_name, public_name)


def audit_targets(user: User) -> Iterable[tuple[str, Iterable[str]]]:
    from apps.councils.models import Membership

    yield "councils.membership", [str(pk) for pk in Membership.objects.filter(user=user).values_list("pk", flat=True)]


def anonymise(user: User, label: str) -> None:
    """Seats stay (public composition and attendance), tied to nobody. Seats reached through
    a draw the person answered are the person's too."""
    from apps.councils.models import Membership

    Membership.objects.filter(Q(user=user) | Q(pool_member__user=user)).update(
        user=None, full_name="", public_name=label
    )


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    export=export,
    anonymise=anonymise,
    names=names,
    audit_targets=audit_targets,
    labels={"council_memberships": _("Mandats en conseil citoyen (présences comprises)")},
)
