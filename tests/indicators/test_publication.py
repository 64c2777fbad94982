"""What the public gets (issue 14: « small cells suppressed everywhere, exports included;
differential privacy noise is a documented option for public pages »).

1. A property test: on random worlds, no cell of 1 to 10 people shows on the public page, in the
   open data CSV or in its JSON (the API), and every shown count is a rounded figure.
2. The Laplace noise option: off by default, applied after the suppression, stable across
   reloads (seeded per publication), the same on the page and in the export, absent from the
   back office (agents need the true figures to act), and Laplace-distributed."""

from __future__ import annotations

import csv
import io
import json
import statistics
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.models import ParticipationEvent, Process, Territory
from apps.indicators import privacy, selectors
from apps.indicators.views import public_scope_context
from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db

AGES = ["18-29", "30-44", "45-59", "60-74"]
world = st.dictionaries(
    st.tuples(st.sampled_from(AGES), st.sampled_from(["online", "paper", "street"])),
    st.integers(min_value=0, max_value=40),
    min_size=1,
)


def _fill(process: Process, quartier: Territory, cells: dict[tuple[str, str], int]) -> None:
    day = timezone.localdate()
    ParticipationEvent.objects.bulk_create(
        ParticipationEvent(
            module="proposals",
            kind="support",
            day=day,
            process=process,
            territory=quartier,
            priority_area=quartier.is_priority_area,
            age_band=age,
            gender="f",
            channel=channel,
        )
        for (age, channel), count in cells.items()
        for _ in range(count)
    )


def _truth(cells: dict[tuple[str, str], int], index: int) -> dict[str, int]:
    totals: dict[str, int] = {}
    for key, count in cells.items():
        totals[key[index]] = totals.get(key[index], 0) + count
    return totals


def _exported(client: Client, fmt: str, slug: str) -> list[dict[str, Any]]:
    response = client.get(reverse("opendata:export", kwargs={"name": "participation_representativeness", "fmt": fmt}))
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()  # type: ignore[attr-defined]
    if fmt == "csv":
        rows: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(body)))
    else:
        data = json.loads(body)
        rows = data if isinstance(data, list) else data.get("rows", data.get("data", []))
    return [row for row in rows if row["process"] == slug and row["dimension"] == "age"]


def _shown_ok(value: Any, truth: int) -> bool:
    """A published count: empty for a small cell, else a multiple of 5 (never 1 to 9)."""
    if value in (None, ""):
        return True
    number = int(value)
    return truth not in range(1, privacy.MIN_CELL) and number % privacy.ROUND_TO == 0 and number not in range(1, 10)


@given(cells=world)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_small_cell_reaches_the_page_the_csv_or_the_api(
    cells: dict[tuple[str, str], int], quartier: Territory, client: Client
) -> None:
    with transaction.atomic():
        process = ProcessFactory.create(territory=quartier, is_published=True, slug="au-hasard")
        _fill(process, quartier, cells)
        ages, channels = _truth(cells, 0), _truth(cells, 1)
        year = timezone.localdate().year
        page = client.get(reverse("indicators:process", kwargs={"pk": process.pk}), {"annee": str(year)})
        assert page.status_code == 200
        tables = {table.dimension: table for table, _chart in page.context["tables"]}
        for row in tables["age"].rows:
            assert _shown_ok(row.participants, ages.get(row.key, 0)), (row, ages)
            if row.participants is None:
                assert row.share is None and row.ratio is None and row.ci_low is None
        for channel_row in page.context["channels"].rows:
            assert _shown_ok(channel_row.participants, channels.get(channel_row.channel, 0))
        total = sum(cells.values())
        assert _shown_ok(page.context["channels"].total_participants, total)
        for fmt in ("csv", "json"):
            for row in _exported(client, fmt, "au-hasard"):
                assert _shown_ok(row["participants"], ages.get(row["category"], 0)), (fmt, row, ages)
                if row["participants"] in (None, ""):
                    assert row["share"] in (None, "")
        transaction.set_rollback(True)


def test_the_noise_is_off_unless_the_city_sets_an_epsilon() -> None:
    with privacy.published("2026/city"):
        assert not privacy.noisy()
        assert privacy.protect({"a": 123, "b": 4, "c": 60, "d": 0}) == {"a": 125, "b": None, "c": None, "d": 0}


@override_settings(INDICATORS_DP_EPSILON=0.2)
def test_laplace_noise_after_suppression_stable_across_reloads() -> None:
    counts = {f"cell{index}": 100 + index for index in range(40)} | {"small": 3, "zero": 0}
    exact_table = privacy.protect(counts, "age")
    assert all(exact_table[f"cell{index}"] == privacy.rounded(100 + index) for index in range(1, 40)), (
        "outside a publication nothing is noised"
    )
    with privacy.published("2026/city"):
        first = privacy.protect(counts, "age")
        again = privacy.protect(counts, "age")
        other_table = privacy.protect(counts, "gender")
    with privacy.published("2026/territory/3"):
        other_publication = privacy.protect(counts, "age")
    assert first == again, "a reload gives the same figures: the noise cannot be averaged away"
    assert first["small"] is None and first["zero"] == 0, "suppression is decided on the true counts"
    assert first["cell0"] is None, "the secondary suppression too"
    noised = [first[f"cell{index}"] for index in range(1, 40)]
    exact = [privacy.rounded(100 + index) for index in range(1, 40)]
    assert sum(a != b for a, b in zip(noised, exact, strict=True)) >= 20, "scale 5: most cells move"
    assert all(value is not None and value % privacy.ROUND_TO == 0 and value >= 10 for value in noised)
    assert first != other_table and first != other_publication, "independent noise per table and publication"


def test_the_noise_is_laplace_of_scale_one_over_epsilon() -> None:
    draws = [privacy.laplace_noise(f"seed-{index}", 4.0) for index in range(4000)]
    assert abs(statistics.mean(draws)) < 0.4
    assert statistics.mean(abs(draw) for draw in draws) == pytest.approx(4.0, rel=0.08)  # E|X| = scale
    assert statistics.median(draws) == pytest.approx(0.0, abs=0.4)


@override_settings(INDICATORS_DP_EPSILON=0.1)
def test_public_pages_and_open_data_share_the_noise_and_the_back_office_keeps_the_truth(
    quartier: Territory, client: Client
) -> None:
    process = ProcessFactory.create(territory=quartier, is_published=True, slug="bruitee")
    cells = {(age, "online"): 60 + 7 * index for index, age in enumerate(AGES)}
    cells |= {("75+", "paper"): 5, ("u18", "paper"): 4}
    _fill(process, quartier, cells)
    scope = selectors.Scope(timezone.localdate().year, process=process)
    back_office = {table.dimension: table for table in selectors.representativeness(scope)}
    exact = {row.key: row.participants for row in back_office["age"].rows}
    assert exact == {
        "u18": None,
        "18-29": 60,
        "30-44": 65,
        "45-59": 75,
        "60-74": 80,
        "75+": None,
    }, "outside a publication (the back office) the figures are the true ones, rounded"
    published = {table.dimension: table for table, _chart in public_scope_context(scope)["tables"]}
    noised = {row.key: row.participants for row in published["age"].rows}
    assert noised["75+"] is None and noised["u18"] is None
    assert noised != exact, "scale 10: the published figures moved"
    reload = client.get(reverse("indicators:process", kwargs={"pk": process.pk}))
    page = {row.key: row.participants for row in {t.dimension: t for t, _ in reload.context["tables"]}["age"].rows}
    assert page == noised
    exported = {row["category"]: row["participants"] for row in _exported(client, "csv", "bruitee")}
    assert {key: (int(value) if value else None) for key, value in exported.items()} == noised
    shares = [row.share for row in published["age"].rows if row.share is not None]
    assert sum(shares) == pytest.approx(100.0), "shares are those of the published counts"


def test_public_publication_labels_name_the_scope(quartier: Territory) -> None:
    process = ProcessFactory.create(territory=quartier, is_published=True)
    assert selectors.Scope(2026).label == "2026/city"
    assert selectors.Scope(2026, territory=quartier).label == f"2026/territory/{quartier.pk}"
    assert selectors.Scope(2026, process=process).label == f"2026/process/{process.pk}"
