"""The yearly « cahier de la participation » of a quartier (web and PDF): built from the
indicators (small cells hidden in both), the commitments of the quartier with their state, the
trust barometer; quartier and year from allowlists."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from apps.accounts.models import User
from apps.core.models import Channel, ParticipationEvent, Territory
from apps.followup.models import Commitment
from apps.indicators.cahier import cahier_of, cahier_pdf
from tests.conftest import make_process_in_phase

pytestmark = pytest.mark.django_db


def _events(territory: Territory, channel: str, count: int, day: datetime.date) -> None:
    process = make_process_in_phase("collect", territory=territory)
    ParticipationEvent.objects.bulk_create(
        ParticipationEvent(
            module="proposals",
            kind="support",
            day=day,
            process=process,
            territory=territory,
            priority_area=territory.is_priority_area,
            age_band="30-44",
            gender="f",
            channel=channel,
        )
        for _ in range(count)
    )


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_cahier_hides_small_cells_and_lists_commitments(
    quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    today = timezone.localdate()
    _events(quartier, Channel.STREET, 40, today)
    _events(quartier, Channel.MEETING, 30, today)  # hidden too (secondary suppression)
    _events(quartier, Channel.PAPER, 4, today)  # a small cell: never shown
    process = make_process_in_phase("collect", territory=quartier)
    Commitment.objects.create(
        process=process, title="Réfection du square Daviais", planned_date=today.replace(month=1, day=2)
    )
    cahier = cahier_of(quartier, today.year)
    rows = {row.channel: row for row in cahier.channels.rows}
    assert rows[Channel.PAPER].participants is None and rows[Channel.MEETING].participants is None
    assert rows[Channel.STREET].participants == 40
    text = _pdf_text(cahier_pdf(cahier))
    assert f"Cahier de la participation {today.year} — {quartier.name}" in text
    assert "moins de 11" in text and "Réfection du square Daviais" in text
    assert "Moins de 11 avis cette année" in text
    web = client_for(None).get(reverse("indicators:cahier", kwargs={"pk": quartier.pk, "year": today.year}))
    body = web.content.decode()
    assert web.status_code == 200 and "Réfection du square Daviais" in body and "moins de 11" in body
    pdf = client_for(None).get(reverse("indicators:cahier_pdf", kwargs={"pk": quartier.pk, "year": today.year}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-") and pdf["Content-Type"] == "application/pdf"
    listing = client_for(None).get(reverse("indicators:cahiers")).content.decode()
    assert reverse("indicators:cahier", kwargs={"pk": quartier.pk, "year": today.year}) in listing


def test_only_quartiers_and_known_years(
    city: Territory, quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    today = timezone.localdate()
    client = client_for(None)
    assert client.get(reverse("indicators:cahier", kwargs={"pk": city.pk, "year": today.year})).status_code == 404
    assert client.get(reverse("indicators:cahier", kwargs={"pk": quartier.pk, "year": 1999})).status_code == 404
    assert client.get(reverse("indicators:cahier_pdf", kwargs={"pk": 999999, "year": today.year})).status_code == 404


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(min_value=1, max_value=10))
def test_no_small_count_ever_reaches_the_pdf(quartier: Territory, count: int) -> None:
    today = timezone.localdate()
    ParticipationEvent.objects.all().delete()
    _events(quartier, Channel.MEETING, count, today)
    cahier = cahier_of(quartier, today.year)
    assert all(row.participants is None for row in cahier.channels.rows)
    assert cahier.channels.total_participants is None
    for table in cahier.tables:
        assert all(row.participants is None or row.participants == 0 for row in table.rows)
