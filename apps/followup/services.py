"""Writes of the follow-up: commitments and their dated updates."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from apps.core import pictures
from apps.core.models import Process, Role, Service, Territory, audit
from apps.core.roles import has_role
from apps.core.uploads import reencode_image
from apps.followup.models import Commitment, CommitmentUpdate

if TYPE_CHECKING:
    from apps.accounts.models import User

FOLLOWUP_EDITORS = frozenset({Role.AGENT, Role.ELU})


def can_edit_commitments(user: object, process: Process) -> bool:
    return has_role(user, FOLLOWUP_EDITORS, process=process)  # type: ignore[arg-type]


@transaction.atomic
def commitment_from_source(
    *,
    actor: User,
    source: models.Model,
    process: Process,
    title: str,
    description: str = "",
    territory: Territory | None = None,
    service: Service | None = None,
) -> Commitment:
    """The commitment born of an accepted contribution (a proposal, a project…): one per
    source, idempotent. The module that accepts it says what it is called and where."""
    source_type = ContentType.objects.get_for_model(source)
    commitment, created = Commitment.objects.get_or_create(
        source_type=source_type,
        source_id=source.pk,
        defaults={
            "process": process,
            "territory": territory,
            "title": title,
            "description": description,
            "service": service,
        },
    )
    if created:
        audit(actor, "commitment.create", commitment, **{f"{source_type.model}_id": source.pk})
    return commitment


@transaction.atomic
def commitment_update(
    *,
    actor: User,
    commitment: Commitment,
    date: datetime.date,
    body: str,
    progress: int,
    state: str,
    photo: UploadedFile | None = None,
    photo_alt: str = "",
    service: Service | None = None,
    planned_date: datetime.date | None = None,
) -> CommitmentUpdate:
    if not can_edit_commitments(actor, commitment.process):
        raise PermissionDenied
    stored_photo = reencode_image(photo) if photo is not None else None
    update = CommitmentUpdate(
        commitment=commitment,
        date=date,
        body=body.strip(),
        progress=progress,
        state=state,
        photo=stored_photo or "",
        photo_alt=photo_alt.strip(),
        author=actor,
    )
    if stored_photo is not None:
        update.photo_width, update.photo_height = pictures.dimensions(stored_photo)
    update.full_clean()
    update.save()
    if update.photo:
        pictures.make_variants(update.photo.name)
    commitment.progress = progress
    commitment.state = state
    if service is not None:
        commitment.service = service
    if planned_date is not None:
        commitment.planned_date = planned_date
    commitment.full_clean()
    commitment.save()
    audit(actor, "commitment.update", commitment, progress=progress, state=state)
    from apps.notifications.services import notify_commitment

    transaction.on_commit(lambda: notify_commitment(update))
    return update


@transaction.atomic
def commitment_create(
    *,
    actor: User,
    process: Process,
    title: str,
    description: str = "",
    service: Service | None = None,
    planned_date: datetime.date | None = None,
    territory: Territory | None = None,
    made_with_residents: bool = False,
    source: models.Model | None = None,
) -> Commitment:
    """A commitment not born of a proposal: made by hand, or from a winning budget project or a
    workshop recommendation (``source``; one commitment per source, enforced by the database)."""
    if not can_edit_commitments(actor, process):
        raise PermissionDenied
    commitment = Commitment(
        process=process,
        territory=territory,
        title=title.strip(),
        description=description.strip(),
        service=service,
        planned_date=planned_date,
        made_with_residents=made_with_residents,
    )
    if source is not None:
        commitment.source_type = ContentType.objects.get_for_model(source)
        commitment.source_id = source.pk
    commitment.full_clean()
    commitment.save()
    audit(actor, "commitment.create", commitment, manual=source is None)
    return commitment


@transaction.atomic
def commitment_edit(
    *,
    actor: User,
    commitment: Commitment,
    service: Service | None,
    planned_date: datetime.date | None,
    made_with_residents: bool,
) -> Commitment:
    """Change who carries a commitment and when; progress moves only through dated updates."""
    if not can_edit_commitments(actor, commitment.process):
        raise PermissionDenied
    before = {
        "service": commitment.service.name if commitment.service else None,
        "planned_date": commitment.planned_date.isoformat() if commitment.planned_date else None,
    }
    commitment.service = service
    commitment.planned_date = planned_date
    commitment.made_with_residents = made_with_residents
    commitment.full_clean()
    commitment.save()
    audit(
        actor,
        "commitment.edit",
        commitment,
        before=before,
        service=service.name if service else None,
        planned_date=planned_date.isoformat() if planned_date else None,
    )
    return commitment
