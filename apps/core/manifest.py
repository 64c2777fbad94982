"""The core declares no participatory module, only the open data of processes and
territories, so they are listed with the modules' exports on the open data page, and the
personal link of the participation events (the snapshot stays, tied to nobody, on deletion)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import Fate, Holding
from apps.core.registry import ExportSpec, ModuleManifest, PersonalData, register

if TYPE_CHECKING:
    from apps.core.models import Process

CHUNK = 500

PROCESS_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "territory",
    "themes",
    "participation_level",
    "state",
    "starts_at",
    "ends_at",
    "rules_open",
    "rules_closed",
    "rules_decider",
    "rules_use",
    "answer_due",
    "url",
)
TERRITORY_FIELDS = (
    "id",
    "slug",
    "name",
    "kind",
    "parent",
    "is_priority_area",
    "population",
    "priority_population",
)


def process_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.core.models import Process

    queryset = Process.objects.published().select_related("territory").prefetch_related("phases", "themes")
    if process is not None:
        queryset = queryset.filter(pk=process.pk)
    for item in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        phases = item.ordered_phases()
        yield {
            "id": item.pk,
            "slug": item.slug,
            "title": item.title,
            "summary": item.summary,
            "territory": item.territory.slug,
            "themes": "|".join(theme.slug for theme in item.themes.all()),
            "participation_level": item.participation_level,
            "state": item.state(),
            "starts_at": phases[0].starts_at.isoformat() if phases else None,
            "ends_at": phases[-1].ends_at.isoformat() if phases else None,
            "rules_open": item.rules_open,
            "rules_closed": item.rules_closed,
            "rules_decider": item.rules_decider,
            "rules_use": item.rules_use,
            "answer_due": item.answer_due.isoformat(),
            "url": item.get_absolute_url(),
        }


def territory_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    from apps.core.models import Territory

    queryset = Territory.objects.select_related("parent")
    if process is not None:
        queryset = queryset.filter(pk=process.territory_id)
    for territory in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        yield {
            "id": territory.pk,
            "slug": territory.slug,
            "name": territory.name,
            "kind": territory.kind,
            "parent": territory.parent.slug if territory.parent else "",
            "is_priority_area": territory.is_priority_area,
            "population": territory.population,
            "priority_population": territory.priority_population,
        }


MANIFEST = register(
    ModuleManifest(
        name="core",
        verbose_name=_("Socle"),
        actions=frozenset(),
        phases=(),
        exports={
            "processes": ExportSpec(process_rows, PROCESS_FIELDS, _("Démarches participatives")),
            "territories": ExportSpec(territory_rows, TERRITORY_FIELDS, _("Territoires et quartiers")),
        },
        personal_data=PersonalData(
            holdings=(
                Holding(
                    "core.ParticipationEvent",
                    ("person",),
                    "participation_events",
                    Fate.UNLINKED,
                    why="The act stays counted in the indicators, tied to nobody.",
                ),
                Holding(
                    "core.ParticipationEvent",
                    ("age_band", "gender"),
                    "participation_events",
                    Fate.KEPT,
                    why=(
                        "Snapshot taken with the person's consent when they took part: once unlinked it is "
                        "anonymous and stays for the aggregate indicators (never shown below 11 people)."
                    ),
                ),
            ),
            labels={"participation_events": _("Vos actes de participation (pour les indicateurs)")},
        ),
    )
)
