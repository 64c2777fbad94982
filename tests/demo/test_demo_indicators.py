"""The demo's indicators: the catalogue the city defines and two structures with their own set
(issue 14, item 5), the demo agent among their agents, and a rollup equal to the events."""

from __future__ import annotations

from apps.indicators import rollup, sources
from apps.indicators.models import CatalogueIndicator, ParticipantRollup, ParticipationRollup, Structure


def test_the_catalogue_and_the_structures_choices(demo: None) -> None:
    assert CatalogueIndicator.objects.count() == 5
    structures = {structure.kind: structure for structure in Structure.objects.all()}
    assert set(structures) == {"social_centre", "service"}
    centre = structures["social_centre"]
    assert centre.territory is not None and centre.territory.is_priority_area
    assert set(centre.indicators.values_list("measure", flat=True)) == {"age", "qpv", "channels"}
    assert centre.agents.filter(email="agent@demo.archipel.fr").exists()


def test_the_rollups_hold_every_demo_event(demo: None) -> None:
    models = ((rollup.PROCESSES, ParticipationRollup), (rollup.PEOPLE, ParticipantRollup))
    maintained = {spec.table: sorted(model.objects.values_list(*spec.keys, *spec.measures)) for spec, model in models}
    rollup.rebuild()
    for spec, model in models:
        assert sorted(model.objects.values_list(*spec.keys, *spec.measures)) == maintained[spec.table]
        assert maintained[spec.table], spec.table
    years = sources.Rollup().years()
    assert len(years) >= 2 and years == sources.Events().years()
