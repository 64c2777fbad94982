"""The follow-up's timeline merges every manifest's events with its own (phases,
commitments, updates), oldest first; its figures come from the manifests too."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import timezone

from apps.core import registry
from apps.core.models import Process, Territory
from apps.core.registry import Figure, TimelineEvent
from apps.followup import selectors
from tests.factories import ProcessFactory


@pytest.mark.django_db
def test_a_module_timeline_and_figures_are_merged(monkeypatch: pytest.MonkeyPatch, quartier: Territory) -> None:
    process = ProcessFactory.create(territory=quartier)
    first = process.phases.order_by("starts_at").first()
    moment = (first.starts_at if first else timezone.now()) + datetime.timedelta(minutes=1)

    def events(the_process: Process) -> list[TimelineEvent]:
        assert the_process == process
        return [TimelineEvent(moment, moment, "petition", "Une pétition", "déposée", "/p/1/")]

    def figures(the_process: Process) -> list[Figure]:
        return [Figure("petitions", "Pétitions", 7, order=5)]

    fake = registry.ModuleManifest(
        name="zz_test_module", verbose_name="Test", actions=frozenset(), phases=(), timeline=events, figures=figures
    )
    monkeypatch.setitem(registry._REGISTRY, fake.name, dataclasses.replace(fake))
    timeline = selectors.timeline(process)
    assert "petition" in [event.kind for event in timeline]
    assert [event.sort_key for event in timeline] == sorted(event.sort_key for event in timeline)
    figures_now = selectors.process_figures(process)
    assert figures_now[0].key == "petitions"
    assert {"received", "answered", "accepted", "done", "petitions"} <= {figure.key for figure in figures_now}
