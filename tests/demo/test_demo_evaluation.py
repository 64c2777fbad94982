"""The participatory evaluation of the demo city: its cahier (web and PDF), its evidence file,
and the trust barometer's marks, visible once aggregated (11 replies or more)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apps.answers.models import BarometerReply, BarometerScore
from apps.indicators.barometer import barometer
from apps.indicators.selectors import Scope
from apps.workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_demo_evaluation_cahier_and_barometer(demo: None) -> None:
    workshop = Workshop.objects.select_related("evaluation", "process__territory").get(
        slug="evaluation-reussite-educative"
    )
    assert workshop.evaluation.contract_action.startswith("Contrat de ville")
    assert workshop.evaluation.evidence.filter(is_public=True).count() == 3
    client = Client()
    web = client.get(reverse("workshops:cahier", kwargs={"slug": workshop.slug}))
    assert web.status_code == 200 and "Programme de réussite éducative" in web.content.decode()
    pdf = client.get(reverse("workshops:cahier_pdf", kwargs={"slug": workshop.slug}))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Réponse de la Ville : Non retenue" in text and "Réalisé" in text
    assert BarometerReply.objects.count() == BarometerScore.objects.count() >= 11
    shown = barometer(Scope(timezone.localdate().year, territory=workshop.process.territory))
    assert shown.shown and shown.heard_mean is not None
    quartier_cahier = client.get(
        reverse("indicators:cahier", kwargs={"pk": workshop.process.territory.pk, "year": timezone.localdate().year})
    )
    assert quartier_cahier.status_code == 200 and "Vous sentez-vous entendu·e" in quartier_cahier.content.decode()
