"""Quotas against the panel, drawn: each value's bar within (green) or outside (red) its quota,
and the quota's range as a band; shown on the public draw page next to the quota table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.sortition import selectors
from apps.sortition.charts import quota_chart
from apps.sortition.models import Draw
from tests.sortition.factories import people_csv

pytestmark = pytest.mark.django_db


def test_quota_chart_matches_the_quota_table(make_draw: Callable[..., Draw], client: Client) -> None:
    draw = make_draw("drawn", people=people_csv(bom=True, sep=";"))
    groups = selectors.quota_groups(draw)
    assert groups
    for category, rows in groups:
        chart = quota_chart(category, rows)
        assert [bar.label for bar in chart.bars] == [row["feature"] for row in rows]
        for bar, row in zip(chart.bars, rows, strict=True):
            assert bar.value_text.startswith(f"{row['now_in_panel']} (quota {row['min']} à {row['max']})")
            assert bar.target_x is not None
            if row["now_in_panel"]:
                assert bar.pieces[0].tone == ("ok" if row["ok"] else "alert")
    Draw.objects.filter(pk=draw.pk).update(is_published=True)
    html = client.get(reverse("sortition:detail", kwargs={"slug": draw.slug})).content.decode()
    assert html.count('class="chart chart-stacked"') == len(groups)
    assert "chart-target" in html


def test_no_chart_before_the_draw(make_draw: Callable[..., Draw], client: Client) -> None:
    draw = make_draw("computed")
    Draw.objects.filter(pk=draw.pk).update(is_published=True)
    response = client.get(reverse("sortition:detail", kwargs={"slug": draw.slug}))
    assert response.status_code == 200
    assert "chart-stacked" not in response.content.decode()
