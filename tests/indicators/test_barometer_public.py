"""The trust barometer on the public pages and in the open data (issue 14: « small cells
suppressed everywhere, exports included »), and the way to the yearly cahiers."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.answers.models import BarometerScore
from apps.core.models import Process, Territory
from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _scores(process: Process, marks: list[tuple[int | None, int | None]]) -> None:
    BarometerScore.objects.bulk_create(
        BarometerScore(process=process, year=YEAR, heard=heard, clear=clear) for heard, clear in marks
    )


def _export(client: Client) -> list[dict[str, str]]:
    response = client.get(reverse("opendata:export", kwargs={"name": "participation_barometer", "fmt": "csv"}))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(body)))


def test_ten_replies_show_nothing_on_the_page_nor_in_the_export(client: Client, quartier: Territory) -> None:
    process = ProcessFactory.create(territory=quartier, is_published=True, slug="dix-avis")
    _scores(process, [(2, 5)] * 10)
    page = client.get(reverse("indicators:index"), {"annee": str(YEAR)}).content.decode()
    assert "Baromètre de confiance" in page and "Moins de 11 avis" in page
    assert "Vous sentez-vous entendu" not in page
    rows = _export(client)
    assert {(row["scope"], row["territory"], row["process"]) for row in rows} >= {
        ("city", "", ""),
        ("quartier", quartier.slug, ""),
        ("process", "", "dix-avis"),
    }
    for row in rows:
        assert row["replies"] == "" and row["heard_mean"] == "" and row["clear_positive"] == "", row


def test_eleven_replies_are_published_and_a_mark_answered_by_ten_stays_hidden(
    client: Client, quartier: Territory, other_quartier: Territory
) -> None:
    process = ProcessFactory.create(territory=quartier, is_published=True, slug="onze-avis")
    _scores(process, [(4, 2)] * 10 + [(1, None)])
    elsewhere = ProcessFactory.create(territory=other_quartier, is_published=True, slug="ailleurs")
    _scores(elsewhere, [(5, 5)] * 3)
    page = client.get(reverse("indicators:index"), {"annee": str(YEAR), "quartier": str(quartier.pk)})
    text = page.content.decode()
    assert "Vous sentez-vous entendu" in text and "3,7" in text  # (10 × 4 + 1) / 11
    process_page = client.get(reverse("indicators:process", kwargs={"pk": process.pk}), {"annee": str(YEAR)})
    assert "3,7" in process_page.content.decode()
    rows = {(row["scope"], row["territory"] or row["process"]): row for row in _export(client)}
    mine = rows[("quartier", quartier.slug)]
    assert (mine["replies"], mine["heard_mean"], mine["heard_positive"]) == ("10", "3.7", "90.9")
    assert mine["clear_mean"] == mine["clear_positive"] == ""  # 10 answers to the second question
    assert rows[("process", "onze-avis")]["heard_mean"] == "3.7"
    assert rows[("quartier", other_quartier.slug)]["replies"] == ""  # 3 replies
    assert ("process", "ailleurs") in rows and rows[("process", "ailleurs")]["heard_mean"] == ""
    city = rows[("city", "")]
    assert city["replies"] == "15" and city["heard_mean"] == "4.0"  # 14 replies, (41 + 15) / 14


def test_the_cahiers_are_linked_from_the_indicators_and_every_page_footer(client: Client, quartier: Territory) -> None:
    cahiers = reverse("indicators:cahiers")
    index = client.get(reverse("indicators:index")).content.decode()
    assert f'href="{cahiers}"' in index
    home = client.get("/").content.decode()
    footer = home[home.index("<footer") :]
    assert f'href="{cahiers}"' in footer and "Cahiers de la participation" in footer
