"""Open data of the follow-up: every commitment and its dated updates (no author)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_ROLE_ACT, STAFF, Fate, Holding
from apps.core.registry import ExportSpec, Figure, ModuleManifest, PersonalData, register
from apps.followup import backoffice_inbox

if TYPE_CHECKING:
    from apps.core.models import Process

CHUNK = 1000

COMMITMENT_FIELDS = (
    "id",
    "process",
    "title",
    "description",
    "territory",
    "service",
    "planned_date",
    "progress",
    "state",
    "is_overdue",
    "made_with_residents",
    "source_type",
    "source_id",
    "url",
)
UPDATE_FIELDS = ("id", "commitment_id", "date", "body", "progress", "state")


def _commitments(process: Process | None) -> Any:
    from apps.followup.models import Commitment

    queryset = Commitment.objects.filter(process__is_published=True)
    if process is not None:
        queryset = queryset.filter(process=process)
    return queryset


def commitment_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    queryset = _commitments(process).select_related("process", "territory", "service", "source_type")
    for commitment in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "id": commitment.pk,
            "process": commitment.process.slug,
            "title": commitment.title,
            "description": commitment.description,
            "territory": commitment.territory.slug if commitment.territory else "",
            "service": commitment.service.name if commitment.service else "",
            "planned_date": commitment.planned_date.isoformat() if commitment.planned_date else None,
            "progress": commitment.progress,
            "state": commitment.state,
            "is_overdue": commitment.is_overdue,
            "made_with_residents": commitment.made_with_residents,
            "source_type": commitment.source_type.model if commitment.source_type else "",
            "source_id": commitment.source_id,
            "url": commitment.get_absolute_url(),
        }


def update_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.followup.models import CommitmentUpdate

    queryset = CommitmentUpdate.objects.filter(commitment__in=_commitments(process))
    for update in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "id": update.pk,
            "commitment_id": update.commitment_id,
            "date": update.date.isoformat(),
            "body": update.body,
            "progress": update.progress,
            "state": update.state,
        }


def figures(process: Process) -> list[Figure]:
    from apps.followup.selectors import followup_figures

    return followup_figures(process)


MANIFEST = register(
    ModuleManifest(
        name="followup",
        verbose_name=_("Suivi des engagements"),
        actions=frozenset(),
        phases=(),
        exports={
            "commitments": ExportSpec(commitment_rows, COMMITMENT_FIELDS, _("Engagements de la Ville")),
            "commitment_updates": ExportSpec(update_rows, UPDATE_FIELDS, _("Points d'étape des engagements")),
        },
        figures=figures,
        todo=backoffice_inbox.todo,
        search=backoffice_inbox.search,
        personal_data=PersonalData(
            holdings=(Holding("followup.CommitmentUpdate", ("author",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),),
        ),
    )
)
