"""Permission rules per persona, the public and member pages, the attestation PDF."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.core.models import Territory
from apps.sittings.attestation import attestation_pdf
from apps.sittings.models import Sitting
from apps.workshops import rules, services
from apps.workshops.models import CitizenOpinion, PanelMember, RecommendationVote, Workshop
from tests.conftest import Personas
from tests.workshops.factories import add_member, add_recommendation, make_workshop

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "resident", "other_resident", "agent", "elu", "moderator", "admin_elsewhere")


@pytest.fixture
def workshop(quartier: Territory, personas: Personas) -> Workshop:
    workshop = make_workshop("opinion", territory=quartier, answerer=personas["elu"])
    add_member(workshop, personas["resident"], name="Awa Diallo")
    return workshop


def _as(personas: Personas, name: str) -> User | AnonymousUser:
    return personas[name] or AnonymousUser()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_sitting_members_edit_and_vote(workshop: Workshop, personas: Personas, persona: str) -> None:
    recommendation = add_recommendation(workshop)
    user = _as(personas, persona)
    assert rules.can_edit_recommendation(user, recommendation) is (persona == "resident")
    workshop.opinion.state = CitizenOpinion.State.VOTING
    workshop.opinion.save()
    assert rules.can_vote(user, workshop.opinion) is (persona == "resident")
    assert rules.can_edit_recommendation(user, recommendation) is False


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_rules(workshop: Workshop, personas: Personas, persona: str) -> None:
    user = _as(personas, persona)
    assert rules.can_manage_workshop(user, workshop) is (persona == "agent")
    assert rules.can_see_workshop_backoffice(user, workshop) is (persona in {"agent", "elu"})
    assert rules.can_answer(user, workshop) is False  # the opinion is not published
    workshop.opinion.state = CitizenOpinion.State.PUBLISHED
    assert rules.can_answer(user, workshop) is (persona in {"agent", "elu"})


def test_member_of_another_workshop_cannot_vote_here(
    workshop: Workshop, quartier: Territory, personas: Personas
) -> None:
    other = make_workshop("opinion", territory=quartier, answerer=personas["elu"], state=CitizenOpinion.State.VOTING)
    add_recommendation(other)
    assert not rules.can_vote(personas["resident"], other.opinion)
    add_member(other, personas["other_resident"])
    assert rules.can_vote(personas["other_resident"], other.opinion)


def test_draft_mandate_is_hidden_from_the_public(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    draft = make_workshop("mandate", territory=quartier, answerer=personas["elu"], published=False)
    url = draft.get_absolute_url()
    assert client_for(None).get(url).status_code == 404
    assert client_for(personas["resident"]).get(url).status_code == 404
    assert client_for(personas["agent"]).get(url).status_code == 200
    assert draft not in list(client_for(None).get(reverse("workshops:list")).context["workshops"])


def test_public_page_never_shows_contact_or_full_names(
    workshop: Workshop, client_for: Callable[[User | None], Client]
) -> None:
    add_member(workshop, name="Lou Secret-Nom", source=PanelMember.Source.DRAWN)
    content = client_for(None).get(workshop.get_absolute_url()).content.decode()
    assert "Lou" in content and "Awa" in content
    assert "Secret-Nom" not in content and "Diallo" not in content


def test_no_js_edit_keeps_text_on_stale_revision(
    workshop: Workshop, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    recommendation = add_recommendation(workshop)
    add_member(workshop, personas["other_resident"], name="Bruno Voisin")
    url = reverse("workshops:recommendation_edit", kwargs={"slug": workshop.slug, "number": 1})
    response = client_for(personas["other_resident"]).post(
        url, {"title": "T", "text": "Version de Bruno", "revision": 1}
    )
    assert response.status_code == 302
    response = client_for(personas["resident"]).post(url, {"title": "T", "text": "Version d'Awa", "revision": 1})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Version d&#x27;Awa" in content  # what she typed is still in the form
    assert "Version de Bruno" in content  # the newer text is shown
    assert "n&#x27;a pas été enregistrée" in content
    recommendation.refresh_from_db()
    assert recommendation.text == "Version de Bruno"
    # The history, with who wrote each version, is the panel's (issue 8, item 6).
    history = client_for(personas["resident"]).get(recommendation.get_absolute_url()).content.decode()
    assert "Bruno" in history and "Version 2" in history
    assert client_for(None).get(recommendation.get_absolute_url()).status_code == 404


def test_vote_page_records_one_vote_per_recommendation(
    workshop: Workshop, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    first = add_recommendation(workshop, 1)
    second = add_recommendation(workshop, 2)
    services.opinion_open_vote(actor=personas["agent"], opinion=workshop.opinion)
    client = client_for(personas["resident"])
    url = reverse("workshops:vote", kwargs={"slug": workshop.slug})
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {f"r{first.pk}": "for", f"r{second.pk}": "abstain"}).status_code == 302
    assert client.post(url, {f"r{first.pk}": "against"}).status_code == 302
    assert dict(RecommendationVote.objects.values_list("recommendation_id", "choice")) == {
        first.pk: "against",
        second.pk: "abstain",
    }


def test_claim_page_links_a_drawn_member(
    workshop: Workshop, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    drawn = add_member(workshop, status=PanelMember.Status.INVITED, source=PanelMember.Source.DRAWN, name="Lou T")
    url = reverse("workshops:claim", kwargs={"token": services.claim_token(drawn)})
    assert client_for(None).get(url).status_code == 302
    response = client_for(personas["other_resident"]).post(url, {"reponse": "oui"})
    assert response.status_code == 302
    drawn.refresh_from_db()
    assert drawn.user == personas["other_resident"] and drawn.status == PanelMember.Status.CONFIRMED


def test_attestation_pdf_helper() -> None:
    pdf = attestation_pdf(
        full_name="Awa Diallo",
        body="a participé au panel.\n\nCompétences : délibération.",
        sessions=[(datetime.date(2026, 3, 14), "Séance 1 (3,5 h)")],
        issued_by="La direction du dialogue citoyen",
        city="Nantes",
    )
    assert pdf.startswith(b"%PDF")
    assert b"Awa Diallo" in pdf and b"Nantes" in pdf


def test_member_downloads_own_attestation_only(
    workshop: Workshop, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    member = workshop.members.get(user=personas["resident"])
    now = timezone.now()
    session = Sitting.objects.create(
        body=workshop,
        title="Séance 1",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=3),
        place="Ici",
        agenda="A",
    )
    member.attendances.create(sitting=session)
    response = client_for(personas["resident"]).get(reverse("workshops:attestation", kwargs={"slug": workshop.slug}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response) if response.streaming else response.content
    assert b"Awa Diallo" in content and b"Seance" not in content
    assert (
        client_for(personas["other_resident"])
        .get(reverse("workshops:attestation", kwargs={"slug": workshop.slug}))
        .status_code
        == 403
    )
    agent_url = reverse("workshops_admin:member_attestation", kwargs={"pk": member.pk})
    assert client_for(personas["agent"]).get(agent_url).status_code == 200
    assert client_for(personas["admin_elsewhere"]).get(agent_url).status_code == 403


def test_workshop_page_query_budget(
    workshop: Workshop,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for number in range(1, 9):
        add_recommendation(workshop, number)
    client = client_for(None)
    client.get(workshop.get_absolute_url())
    with django_assert_max_num_queries(25):
        assert client.get(workshop.get_absolute_url()).status_code == 200


def test_answer_page_creates_commitments_shown_on_followup(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    from tests.factories import ServiceFactory

    workshop = make_workshop(
        "answer", territory=quartier, answerer=personas["elu"], state=CitizenOpinion.State.PUBLISHED
    )
    recommendation = add_recommendation(workshop)
    service = ServiceFactory.create()
    url = reverse("workshops_admin:answer", kwargs={"pk": recommendation.pk})
    client = client_for(personas["elu"])
    base = {"engagements-TOTAL_FORMS": "2", "engagements-INITIAL_FORMS": "0", "status": "accepted"}
    response = client.post(url, {**base, "reasons": ""})
    assert response.status_code == 400
    assert "Les motifs sont obligatoires" in response.content.decode()
    planned = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        url,
        {
            **base,
            "reasons": "Retenue.",
            "engagements-0-title": "Zone 30",
            "engagements-0-service": service.pk,
            "engagements-0-planned_date": planned,
        },
    )
    assert response.status_code == 302
    # Submitted for signature: nothing public, nothing promised yet.
    assert not workshop.process.commitments.exists()
    assert "Zone 30" not in client_for(None).get(workshop.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    assert "Réponse à signer" in page and "Signer et publier la réponse" in page
    signed = client.post(reverse("workshops_admin:answer_sign", kwargs={"pk": recommendation.pk}))
    assert signed.status_code == 302
    commitment = workshop.process.commitments.get()
    assert commitment.made_with_residents
    page = client_for(None).get(commitment.get_absolute_url()).content.decode()
    assert "Fait avec les habitants" in page
    assert "Fait avec les habitants" in client_for(None).get(reverse("followup:index")).content.decode()
    public = client_for(None).get(workshop.get_absolute_url()).content.decode()
    assert "Zone 30" in public and "Retenue" in public


def test_overdue_badges_are_text(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    workshop = make_workshop(
        "answer",
        territory=quartier,
        answerer=personas["elu"],
        state=CitizenOpinion.State.PUBLISHED,
        answer_due=timezone.localdate() - datetime.timedelta(days=1),
    )
    add_recommendation(workshop)
    public = client_for(None).get(workshop.get_absolute_url()).content.decode()
    assert "Réponse de la Ville en retard" in public
    backoffice = client_for(personas["agent"]).get(reverse("workshops_admin:opinion", kwargs={"pk": workshop.pk}))
    assert "Réponse en retard" in backoffice.content.decode()


def test_process_page_links_to_the_workshop(workshop: Workshop, client_for: Callable[[User | None], Client]) -> None:
    page = client_for(None).get(workshop.process.get_absolute_url()).content.decode()
    assert workshop.get_absolute_url() in page


def test_mandate_edit_after_publication_shows_the_revision(
    workshop: Workshop, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(personas["agent"])
    url = reverse("workshops_admin:edit", kwargs={"pk": workshop.pk})
    data = {
        "title": workshop.title,
        "question": "Une question reformulée ?",
        "open_scope": workshop.open_scope,
        "closed_scope": workshop.closed_scope,
        "experts": "",
        "resources": "",
        "budget_eur": "150000",
        "calendar": "",
        "answerer": personas["elu"].pk,
        "answer_due": workshop.answer_due.isoformat(),
        "note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "note de révision" in response.content.decode()
    assert "Une question reformulée ?" in response.content.decode()  # kept on failure
    assert client.post(url, {**data, "note": "Question précisée avec le panel."}).status_code == 302
    public = client_for(None).get(workshop.get_absolute_url()).content.decode()
    assert "Question précisée avec le panel." in public and "Une question reformulée\u202f?" in public
