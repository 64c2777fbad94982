"""Statistical secrecy (issue 14: « small cells suppressed everywhere, exports included »),
tested as an attacker: a property test of the protection of any table, the differencing of
two overlapping tables, and the page and the open data export of a scope with a small group."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.models import ParticipationEvent, Process, Territory
from apps.indicators import privacy, selectors
from tests.factories import ProcessFactory

counts = st.dictionaries(st.sampled_from("abcdefgh"), st.integers(min_value=0, max_value=400), min_size=1)


@given(counts)
@settings(max_examples=150, deadline=None)
def test_no_protected_table_shows_or_gives_back_a_small_cell(table: dict[str, int]) -> None:
    shown = privacy.protect(table)
    assert set(shown) == set(table)
    for key, value in shown.items():
        if value is not None:
            assert value % privacy.ROUND_TO == 0
            assert abs(value - table[key]) <= privacy.ROUND_TO / 2
    hidden = [key for key, value in shown.items() if value is None]
    assert all(not privacy.hidden(table[key]) for key in table if key not in hidden), "a small cell is shown"
    # Total minus the shown cells must never isolate one positive hidden cell.
    positive_hidden = [key for key in hidden if table[key] > 0]
    positive = [key for key in table if table[key] > 0]
    assert len(positive_hidden) != 1 or len(positive) == 1
    if len(positive) == 1 and positive_hidden:
        # The only group is small: the total is as small, and hidden too.
        assert privacy.protect_one(sum(table.values())) is None


def test_differencing_two_overlapping_tables_gives_a_range_not_a_count() -> None:
    """The attacker knows the city's table and the table of every quartier but one, whose
    « 18-29 » cell is hidden: city minus the others is a range of counts, not one count."""
    truth_small, truth_rest = 3, 52
    city = privacy.protect_one(truth_small + truth_rest)
    others = privacy.protect_one(truth_rest)
    assert city is not None and others is not None and privacy.protect_one(truth_small) is None
    consistent = {
        small
        for small in range(1, privacy.MIN_CELL)
        for rest in range(others - 2, others + 3)
        if privacy.rounded(rest) == others and privacy.rounded(small + rest) == city
    }
    assert truth_small in consistent and len(consistent) >= 3, consistent


@pytest.mark.django_db
def test_the_page_and_the_export_hide_a_small_group(client: Client, quartier: Territory) -> None:
    process: Process = ProcessFactory.create(territory=quartier, is_published=True, slug="petit-groupe")
    today = timezone.localdate()
    ages = ["45-59"] * 30 + ["18-29"] * 4
    ParticipationEvent.objects.bulk_create(
        ParticipationEvent(
            module="proposals",
            kind="proposal",
            day=today - datetime.timedelta(days=1),
            process=process,
            territory=quartier,
            age_band=age,
            channel="paper",
        )
        for age in ages
    )
    table = next(t for t in selectors.representativeness(selectors.Scope(today.year, process)) if t.dimension == "age")
    rows = {row.key: row for row in table.rows}
    assert rows["18-29"].participants is None and rows["18-29"].share is None and rows["18-29"].ratio is None
    assert rows["45-59"].participants is None, "secondary suppression: the only other group hides too"
    assert table.index is None

    page = client.get(reverse("indicators:process", kwargs={"pk": process.pk}), {"annee": str(today.year)})
    text = page.content.decode()
    assert page.status_code == 200 and "moins de 11" in text
    assert ">4<" not in text and ">30<" not in text

    export = client.get(reverse("opendata:export", kwargs={"name": "participation_representativeness", "fmt": "csv"}))
    body = b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]
    lines = [row for row in csv.DictReader(io.StringIO(body)) if row["process"] == "petit-groupe"]
    ages_rows = {row["category"]: row for row in lines if row["dimension"] == "age"}
    assert ages_rows["18-29"]["participants"] == "" and ages_rows["18-29"]["share"] == ""
    assert ages_rows["45-59"]["participants"] == ""
    assert all(row["participants"] in {"", "0"} or int(row["participants"]) >= 10 for row in lines)
