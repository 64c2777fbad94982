"""Reads of sittings: a body's sittings, who attended, attendance counts. Bodies and members are
any model instances; the module that owns them decides who may read what."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, QuerySet

from apps.sittings.models import Attendance, Document, Sitting

PRESENT = Attendance.Status.PRESENT


def _type(model: type[Model] | Model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def sittings_of(body: Model) -> QuerySet[Sitting]:
    return Sitting.objects.filter(body_type=_type(body), body_id=body.pk)


def published_sittings_of(body: Model) -> QuerySet[Sitting]:
    return sittings_of(body).filter(is_published=True)


def sitting_of(body_model: type[Model], pk: int) -> Sitting | None:
    """The sitting ``pk`` if it belongs to a body of ``body_model`` (else None: a URL of one
    module never reaches another module's sittings)."""
    return Sitting.objects.filter(body_type=_type(body_model), pk=pk).first()


def document_of(body_model: type[Model], pk: int) -> Document | None:
    return Document.objects.select_related("sitting").filter(sitting__body_type=_type(body_model), pk=pk).first()


def attended_sittings(member: Model, statuses: Iterable[str] = (PRESENT,)) -> list[Sitting]:
    """The sittings ``member`` attended, oldest first."""
    return list(
        Sitting.objects.filter(
            attendances__member_type=_type(member),
            attendances__member_id=member.pk,
            attendances__status__in=list(statuses),
        ).order_by("starts_at", "pk")
    )


def attendance_statuses(sitting: Sitting, member_model: type[Model]) -> dict[int, str]:
    """Member id → recorded status for one sitting."""
    return dict(sitting.attendances.filter(member_type=_type(member_model)).values_list("member_id", "status"))


def attendance_pairs(
    sittings: Iterable[Sitting], member_model: type[Model], status: str = PRESENT
) -> set[tuple[int, int]]:
    """(sitting id, member id) of every attendance with ``status`` in ``sittings``."""
    return set(
        Attendance.objects.filter(
            sitting__in=list(sittings), member_type=_type(member_model), status=status
        ).values_list("sitting_id", "member_id")
    )


def attendance_counts(sittings: Iterable[Sitting]) -> dict[int, dict[str, int]]:
    """Sitting id → status → count."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Attendance.objects.filter(sitting__in=list(sittings))
        .values("sitting_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["sitting_id"]][row["status"]] = row["n"]
    return counts


def member_attendances(member_model: type[Model], member_ids: Iterable[int]) -> QuerySet[Attendance]:
    """The attendances of some members (for the RGPD export of the module owning them)."""
    return (
        Attendance.objects.filter(member_type=_type(member_model), member_id__in=list(member_ids))
        .select_related("sitting")
        .order_by("sitting__starts_at", "pk")
    )
