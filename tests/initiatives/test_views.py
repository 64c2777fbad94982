"""The pages of the initiatives module: filing (errors keep what was typed), what the holder, the
public and the staff see, open data without personal data, RGPD export and deletion,
participation counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Territory
from apps.core.registry import get_manifest
from apps.initiatives import services
from apps.initiatives.models import Call, Channel, Decision, Initiative
from apps.initiatives.personal_data import anonymise, export
from tests.conftest import Personas, body_of
from tests.initiatives.factories import file_idea, make_call, submitted

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def _form(territory: Territory, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Une grainothèque à la bibliothèque",
        "description": "Échanger des graines entre voisin·es.",
        "place": "Bibliothèque du quartier",
        "territory": territory.pk,
        "who": "Le club de jardinage",
        "category": "no_box",
        "helps": ["room", "advice"],
        "is_public": "on",
        **extra,
    }


def test_filing_with_errors_keeps_what_was_typed(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    client = client_for(personas["resident"])
    response = client.post(reverse("initiatives:file"), _form(quartier, place="", helps=["room", "argent"]))
    assert response.status_code == 400
    page = body_of(response).decode()
    assert "Une grainothèque à la bibliothèque" in page and "Le club de jardinage" in page
    assert "form-error-summary" in page and not Initiative.objects.exists()


def test_filing_shows_the_holder_the_referent_deadline_and_resources(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    services.resource_save(
        actor=personas["agent"],
        kind="room",
        name="Salle Jules Verne",
        description="d",
        contact="Accueil",
        territory=quartier,
        is_published=True,
    )
    client = client_for(personas["resident"])
    response = client.post(reverse("initiatives:file"), _form(quartier))
    idea = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    assert idea.helps == ["room", "advice"] and idea.channel == Channel.ONLINE
    page = body_of(client.get(idea.get_absolute_url())).decode()
    assert "Référent·e promis·e au plus tard le" in page and "Salle Jules Verne" in page
    # Another resident sees the public idea, not its journey nor the routing.
    other = body_of(client_for(personas["other_resident"]).get(idea.get_absolute_url())).decode()
    assert idea.title in other and "Référent·e promis·e" not in other and "Salle Jules Verne" not in other


def test_a_private_idea_is_the_holder_and_staff_only(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    idea = file_idea(personas["resident"], quartier, is_public=False)
    url = idea.get_absolute_url()
    assert client_for(None).get(url).status_code == 404
    assert client_for(personas["other_resident"]).get(url).status_code == 404
    assert client_for(personas["resident"]).get(url).status_code == 200
    assert client_for(personas["agent"]).get(url).status_code == 200
    assert idea.title not in body_of(client_for(None).get(reverse("initiatives:home"))).decode()


def test_an_agent_files_a_counter_idea_and_routes_it(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    agent = client_for(personas["agent"])
    data = _form(quartier, channel="phone", holder_name="M. Diallo", holder_contact="06 11 22 33 44")
    response = agent.post(reverse("initiatives_admin:file"), data)
    idea = Initiative.objects.get()
    assert response.status_code == 302 and idea.channel == Channel.PHONE and idea.filed_by == personas["agent"]
    detail = reverse("initiatives_admin:detail", kwargs={"pk": idea.pk})
    assert agent.post(detail, {"action": "referent", "referent": personas["agent"].pk}).status_code == 302
    assert agent.post(detail, {"action": "step", "kind": "contact", "note": "Rappelé"}).status_code == 302
    assert agent.post(detail, {"action": "step", "kind": "note", "note": ""}).status_code == 400
    idea.refresh_from_db()
    assert idea.referent == personas["agent"] and idea.first_reply_at is not None
    queue = body_of(agent.get(reverse("initiatives_admin:queue"))).decode()
    assert idea.title in queue and "contact après" in queue
    # The élue reads the file but does not act on it.
    assert client_for(personas["elu"]).get(detail).status_code == 200
    assert client_for(personas["elu"]).post(detail, {"action": "step", "kind": "contact"}).status_code == 403


def test_a_decision_is_published_with_its_amount_and_reasons(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    call = make_call(personas["agent"], quartier, mode=Call.Mode.OPEN)
    idea = submitted(personas["resident"], quartier, call)
    url = reverse("initiatives_admin:decide", kwargs={"pk": idea.pk})
    agent = client_for(personas["agent"])
    bad = agent.post(url, {"action": "decision", "outcome": "accepted", "amount": "12,345", "reasons": "Conforme"})
    assert bad.status_code == 400 and "Conforme" in body_of(bad).decode()
    data = {"action": "decision", "outcome": "accepted", "amount": "275,50", "reasons": "Conforme aux critères."}
    assert agent.post(url, data).status_code == 302
    call.refresh_from_db()
    assert call.committed == Decimal("275.50")
    public = body_of(client_for(None).get(call.get_absolute_url())).decode()
    assert "Conforme aux critères." in public and "275,50" in public
    paid = agent.post(
        url,
        {
            "action": "payment",
            "versement-amount": "275,50",
            "versement-paid_on": timezone.localdate().strftime("%d/%m/%Y"),
            "versement-reference": "MANDAT-1",
        },
    )
    assert paid.status_code == 302
    assert Decision.objects.get(initiative=idea).payments.get().amount == Decimal("275.50")


def test_open_data_has_amounts_and_reasons_but_no_person(
    personas: Personas, quartier: Territory, client_for: ClientFor
) -> None:
    agent = personas["agent"]
    call = make_call(agent, quartier, mode=Call.Mode.OPEN)
    idea = submitted(personas["resident"], quartier, call, holder_name="", who="Awa et ses voisines")
    services.decision_record(actor=agent, initiative=idea, outcome="accepted", amount=Decimal(200), reasons="Oui.")
    hidden = make_call(agent, quartier, mode=Call.Mode.OPEN, is_published=False)
    manifest = get_manifest("initiatives")
    assert manifest is not None
    calls = list(manifest.exports["initiative_calls"].rows(None))
    decisions = list(manifest.exports["initiative_decisions"].rows(None))
    assert [row["slug"] for row in calls] == [call.slug] and hidden.slug not in str(calls)
    assert calls[0]["committed"] == "200.00" and calls[0]["dossiers"] == 1
    assert decisions[0]["amount"] == "200.00" and decisions[0]["reasons"] == "Oui."
    text = str(calls) + str(decisions)
    for personal in (personas["resident"].display_name, personas["resident"].email, "Awa et ses voisines", agent.email):
        assert personal not in text
    assert set(decisions[0]) == set(manifest.exports["initiative_decisions"].fields)


def test_rgpd_export_and_deletion(personas: Personas, quartier: Territory) -> None:
    resident = personas["resident"]
    idea = file_idea(resident, quartier)
    data = export(resident)
    assert data["initiatives"][0]["title"] == idea.title and data["initiatives"][0]["steps"]
    anonymise(resident, "Participant·e supprimé·e")
    idea.refresh_from_db()
    assert idea.holder is None and idea.holder_name == "" and idea.holder_contact == ""
    sections = (
        "initiatives",
        "pledges",
        "help_offers",
        "time_given",
        "co_held",
        "directory",
        "directory_messages",
        "open_doors",
        "project_closing",
    )
    assert export(resident) == {key: [] for key in sections}


def test_participation_counts_ideas_by_channel(personas: Personas, quartier: Territory) -> None:
    file_idea(personas["resident"], quartier)
    file_idea(None, quartier, filed_by=personas["agent"], channel=Channel.COUNTER, holder_name="M. A")  # type: ignore[arg-type]
    manifest = get_manifest("initiatives")
    assert manifest is not None and manifest.participation is not None
    today = timezone.localdate()
    counts = list(manifest.participation(today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)))
    assert sorted((c.kind, c.channel, c.territory_id, c.count) for c in counts) == [
        ("initiative", "counter", quartier.pk, 1),
        ("initiative", "online", quartier.pk, 1),
    ]


def test_the_home_page_has_a_fixed_query_budget(
    personas: Personas, quartier: Territory, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    for n in range(25):
        file_idea(personas["resident"], quartier, title=f"Idée {n}")
    client = client_for(None)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("initiatives:home"))
    assert response.status_code == 200 and "Idée 24" in body_of(response).decode()
