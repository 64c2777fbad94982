"""Commitments by state: the chart and its table on the public follow-up pages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.models import Process
from apps.followup.charts import state_figures
from apps.followup.models import Commitment
from tests.factories import CommitmentFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def _world() -> Process:
    process = ProcessFactory.create(is_published=True)
    late = datetime.date(2020, 1, 1)
    CommitmentFactory.create(process=process, state=Commitment.State.PLANNED, planned_date=late)
    CommitmentFactory.create(process=process, state=Commitment.State.IN_PROGRESS)
    CommitmentFactory.create(process=process, state=Commitment.State.DONE, planned_date=late)  # done: not late
    CommitmentFactory.create(process=process, state=Commitment.State.DONE)
    return process


def test_counts_by_state_with_the_overdue_apart() -> None:
    process = _world()
    figures = state_figures(process.commitments.all())
    assert figures is not None
    assert [(row.label, row.count) for row in figures.rows] == [
        ("Programmé", 1),
        ("En cours", 1),
        ("Réalisé", 2),
        ("Abandonné", 0),
        ("Dont en retard", 1),
    ]
    bars = figures.chart.bars
    assert [bar.pieces[0].tone if bar.pieces else None for bar in bars] == ["muted", "primary", "ok", None, "alert"]
    assert bars[2].pieces[0].width == 100.0 and bars[0].pieces[0].width == 50.0
    assert figures.chart.legend == []
    assert state_figures(Commitment.objects.none()) is None


def test_public_pages_show_the_chart_and_its_table(client: Client) -> None:
    process = _world()
    for url in (reverse("followup:index"), reverse("followup:process", kwargs={"slug": process.slug})):
        html = client.get(url).content.decode()
        assert "chart-stacked" in html, url
        assert "<caption>Engagements par état</caption>" in html, url
        assert '<th scope="row">Dont en retard</th><td>1</td>' in html, url
