"""Writes that send no per-row signal (``QuerySet.update()``, ``bulk_create``, ``bulk_update``)
still make the process cache read again: a data import or a scheduled task shows at once."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from apps.core import process_cache
from apps.core.models import Phase, Process, Territory


@pytest.fixture
def collect_process(process_in_phase: Callable[..., Process]) -> Process:
    return process_in_phase("collect")


def _cached(process: Process) -> Process:
    found = process_cache.process_by_pk(process.pk)
    assert found is not None
    return found


@pytest.mark.django_db
def test_a_queryset_update_of_a_process_a_phase_or_a_territory_shows_at_once(collect_process: Process) -> None:
    assert _cached(collect_process).title == collect_process.title
    Process.objects.filter(pk=collect_process.pk).update(title="Titre importé")
    assert _cached(collect_process).title == "Titre importé"

    phase = collect_process.phases.get(kind="collect")
    collect_process.phases.filter(pk=phase.pk).update(title="Dépôt prolongé")
    assert "Dépôt prolongé" in [each.title for each in _cached(collect_process).phases.all()]

    Territory.objects.filter(pk=collect_process.territory_id).update(name="Quartier renommé")
    assert _cached(collect_process).territory.name == "Quartier renommé"


@pytest.mark.django_db
def test_bulk_writes_of_phases_show_at_once(collect_process: Process) -> None:
    before = list(_cached(collect_process).phases.all())
    last = max(before, key=lambda each: each.ends_at)
    added = Phase.objects.bulk_create(
        [
            Phase(
                process=collect_process,
                module=last.module,
                kind=last.kind,
                title="Étape ajoutée par import",
                starts_at=last.ends_at,
                ends_at=last.ends_at + datetime.timedelta(days=7),
            )
        ]
    )
    assert [each.pk for each in _cached(collect_process).phases.all()] == [*(each.pk for each in before), added[0].pk]

    added[0].title = "Étape corrigée"
    Phase.objects.bulk_update(added, ["title"])
    assert _cached(collect_process).phases.all()[len(before)].title == "Étape corrigée"


@pytest.mark.django_db
def test_an_update_of_no_row_keeps_the_cache(collect_process: Process) -> None:
    """The scheduler marks phase starts as announced every few minutes, mostly on no row."""
    _cached(collect_process)
    version = process_cache.version()
    assert Phase.objects.filter(pk=-1).update(title="personne") == 0
    assert process_cache.version() == version
