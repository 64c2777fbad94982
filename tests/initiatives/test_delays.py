"""The open door's delays reach the indicators through the manifest: filing → referent (against
the deadline set at filing), → first contact, → decision (against the call's date), for the ideas
filed in the year and the quartier asked."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apps.core.models import Territory
from apps.core.registry import ServiceDelay, get_manifest
from apps.indicators.cahier import cahier_of, cahier_pdf
from apps.initiatives import services
from apps.initiatives.models import Call, Initiative
from tests.conftest import Personas, body_of
from tests.initiatives.factories import file_idea, make_call, submitted

pytestmark = pytest.mark.django_db


def _dated(idea: Initiative, filed: datetime.datetime, **steps: float | None) -> None:
    """Date the idea ``filed`` and each step ``days`` after it (None: not reached)."""
    values = {
        name: (filed + datetime.timedelta(days=days) if days is not None else None) for name, days in steps.items()
    }
    Initiative.objects.filter(pk=idea.pk).update(
        created_at=filed, referent_due=filed + datetime.timedelta(days=5), **values
    )


def _delays(quartier: Territory | None = None) -> dict[str, ServiceDelay]:
    manifest = get_manifest("initiatives")
    assert manifest is not None and manifest.service_delays is not None
    year = timezone.localdate().year
    ids = quartier.descendant_ids() if quartier is not None else None
    rows = manifest.service_delays(datetime.date(year, 1, 1), datetime.date(year, 12, 31), ids)
    return {row.key: row for row in rows}


def test_delays_from_filing_to_referent_contact_and_decision(
    personas: Personas, quartier: Territory, other_quartier: Territory
) -> None:
    resident = personas["resident"]
    now = timezone.now()
    filed = now - datetime.timedelta(days=20)
    if filed.year != now.year:  # the test's ideas are filed in the year the indicators ask
        filed = now - datetime.timedelta(hours=1)
    on_time = file_idea(resident, quartier, title="A")
    late = file_idea(resident, quartier, title="B")
    waiting = file_idea(resident, quartier, title="C")
    elsewhere = file_idea(resident, other_quartier, title="D")
    _dated(on_time, filed, referent_assigned_at=2, first_reply_at=4)
    _dated(late, filed, referent_assigned_at=8, first_reply_at=10)
    _dated(waiting, filed, referent_assigned_at=None, first_reply_at=None)
    _dated(elsewhere, filed, referent_assigned_at=1, first_reply_at=1)
    rows = _delays(quartier)
    referent = rows["initiatives.referent"]
    assert (referent.reached, referent.waiting, referent.median_days) == (2, 1, 5.0)
    # B was named on day 8 of 5, C still waits past its day 5.
    expected_late = 2 if now > filed + datetime.timedelta(days=5) else 1
    assert referent.overdue == expected_late and referent.overdue_share == pytest.approx(100 * expected_late / 3)
    contact = rows["initiatives.contact"]
    assert (contact.reached, contact.waiting, contact.median_days, contact.overdue) == (2, 1, 7.0, None)
    assert _delays()["initiatives.referent"].reached == 3  # the city counts D too
    assert rows["initiatives.decision"].reached == 0


def test_decision_delay_against_the_call_date(personas: Personas, quartier: Territory) -> None:
    agent, resident = personas["agent"], personas["resident"]
    call = make_call(agent, quartier, mode=Call.Mode.OPEN)
    decided = submitted(resident, quartier, call, title="Décidé")
    pending = submitted(resident, quartier, call, title="En attente")
    services.decision_record(actor=agent, initiative=decided, outcome="accepted", amount=Decimal(100), reasons="Oui.")
    Initiative.objects.filter(pk=decided.pk).update(created_at=timezone.now() - datetime.timedelta(hours=36))
    rows = _delays(quartier)
    decision = rows["initiatives.decision"]
    assert (decision.reached, decision.waiting, decision.overdue) == (1, 1, 0)
    assert decision.median_days == pytest.approx(1.5, abs=0.1)
    # The call's decision date passes with one dossier still undecided: it is overdue.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Call.objects.filter(pk=call.pk).update(closes_on=yesterday, decides_on=yesterday)
    # Both: the decision came after that date, the other still waits past it.
    assert _delays(quartier)["initiatives.decision"].overdue == 2
    assert pending.decision_at is None


def test_the_indicators_page_shows_the_delays(personas: Personas, quartier: Territory, client: Client) -> None:
    idea = file_idea(personas["resident"], quartier)
    _dated(idea, timezone.now() - datetime.timedelta(hours=50), referent_assigned_at=1.5, first_reply_at=2)
    page = body_of(client.get(reverse("indicators:index"))).decode()
    assert "Délais de réponse aux habitant·es" in page
    assert "du dépôt au référent désigné" in page and "1,5 jours" in page
    quartier_page = body_of(client.get(reverse("indicators:index") + f"?quartier={quartier.pk}")).decode()
    assert "du dépôt au premier contact" in quartier_page


def test_the_quartier_cahier_shows_the_delays_on_the_page_and_in_the_pdf(
    personas: Personas, quartier: Territory, other_quartier: Territory, client: Client
) -> None:
    idea = file_idea(personas["resident"], quartier)
    _dated(idea, timezone.now() - datetime.timedelta(hours=50), referent_assigned_at=1.5, first_reply_at=2)
    year = timezone.localdate().year
    cahier = cahier_of(quartier, year)
    referent = {row.key: row for row in cahier.service_delays}["initiatives.referent"]
    assert (referent.reached, referent.median_days, referent.overdue) == (1, 1.5, 0)
    # Another quartier's cahier counts its own ideas only.
    elsewhere = {row.key: row for row in cahier_of(other_quartier, year).service_delays}
    assert elsewhere["initiatives.referent"].reached == 0
    page = body_of(client.get(reverse("indicators:cahier", args=[quartier.pk, year]))).decode()
    assert "Délais de réponse aux habitant·es" in page and "du dépôt au référent désigné" in page
    assert "1,5 jours" in page
    text = " ".join(" ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(cahier_pdf(cahier))).pages).split())
    assert "Délais de réponse aux habitant·es" in text
    assert "du dépôt au référent désigné" in text and "1,5 jours" in text
    assert "0 (0 %) — délai fixé par la Ville au dépôt" in text
