"""Writes of sittings: create or change a sitting, add a document, record attendance, publish
the minutes. Keyword-only, validated, atomic. Permissions and audit entries stay with the
calling module: it knows who runs its body, and names its actions."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from apps.core.uploads import validate_pdf_upload
from apps.sittings.models import Attendance, Document, Sitting

FIELDS = ("title", "starts_at", "ends_at", "place", "agenda", "experts_heard", "minutes", "is_published")


def _set(sitting: Sitting, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown sitting fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(sitting, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def sitting_create(
    *,
    body: Model,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    ends_at: datetime.datetime | None = None,
    agenda: str = "",
    experts_heard: str = "",
    minutes: str = "",
    is_published: bool = False,
) -> Sitting:
    sitting = Sitting(body_type=ContentType.objects.get_for_model(body), body_id=body.pk)
    _set(
        sitting,
        {
            "title": title,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "agenda": agenda,
            "experts_heard": experts_heard,
            "minutes": minutes,
            "is_published": is_published,
        },
    )
    sitting.full_clean()
    sitting.save()
    return sitting


@transaction.atomic
def sitting_update(*, sitting: Sitting, **fields: Any) -> Sitting:
    _set(sitting, fields)
    sitting.full_clean()
    sitting.save()
    return sitting


@transaction.atomic
def minutes_publish(*, sitting: Sitting, minutes: str | None = None) -> Sitting:
    """Publish the sitting with its minutes (the ones given, or those already written)."""
    if minutes is not None:
        sitting.minutes = minutes.strip()
    sitting.is_published = True
    sitting.full_clean()
    sitting.save()
    return sitting


@transaction.atomic
def document_add(*, sitting: Sitting, title: str, file: UploadedFile) -> Document:
    validate_pdf_upload(file)
    document = Document(sitting=sitting, title=title.strip(), file=file)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def attendance_record(*, sitting: Sitting, member_model: type[Model], statuses: Mapping[int, str]) -> int:
    """Replace the attendance of the members ``statuses`` names (member id → status; an empty
    status clears the row). Members not named keep their row. Returns the number present.

    The caller checks that the ids are members of the sitting's body."""
    invalid = {value for value in statuses.values() if value and value not in Attendance.Status.values}
    if invalid:
        raise ValidationError(_("Statut de présence inconnu."))
    member_type = ContentType.objects.get_for_model(member_model)
    Attendance.objects.filter(sitting=sitting, member_type=member_type, member_id__in=list(statuses)).delete()
    Attendance.objects.bulk_create(
        [
            Attendance(sitting=sitting, member_type=member_type, member_id=pk, status=value)
            for pk, value in sorted(statuses.items())
            if value
        ]
    )
    return sum(1 for value in statuses.values() if value == Attendance.Status.PRESENT)
