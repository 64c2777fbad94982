"""The demo's questionnaire: answers online, on paper (double entry, one waiting, one disputed)
and at three quartier sites of a multi-site session (with a table's totals each); its results
page draws them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.consultations.models import PaperForm, Questionnaire, Response, TableTotals


@pytest.mark.usefixtures("demo")
def test_demo_questionnaire_has_every_channel_and_three_quartier_sites() -> None:
    questionnaire = Questionnaire.objects.get(title="Nos parcs de quartier")
    channels = set(Response.objects.filter(questionnaire=questionnaire).values_list("channel", flat=True))
    assert channels == {"online", "paper", "meeting"}
    states = sorted(PaperForm.objects.filter(questionnaire=questionnaire).values_list("state", flat=True))
    assert states.count("first_entry") == 1 and states.count("disputed") == 1
    sites = questionnaire.sites.exclude(territory=None)
    assert sites.count() == 3 and len({site.territory_id for site in sites}) == 3
    for site in sites:
        assert site.responses.count() == 30
        # One big table per site added up on its sheet, typed twice, counted.
        assert TableTotals.objects.get(site=site).state == "confirmed"
    page = Client().get(reverse("consultations:questionnaire_results", args=[questionnaire.pk]))
    assert page.status_code == 200
    assert "Journée des parcs" in page.content.decode()
