"""Petitions end to end: filing, moderation, rules frozen, duplicates, rate limit, signatures
(online and paper, one per person), threshold and overdue answers, answer routes (auto-saisine
creating a draft process), open data and RGPD without names."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.rgpd.erase import account_delete
from apps.core.models import ParticipationEvent, Process, Role, Territory
from apps.petitions import exports, services
from apps.petitions.answering import answer_published
from apps.petitions.models import Petition, PetitionRule, Route, Signature
from tests.conftest import make_city, make_quartier
from tests.factories import ProcessFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class Setup:
    city: Territory
    quartier: Territory
    process: Process
    rule: PetitionRule
    resident: User
    signer: User
    moderator: User
    agent: User
    elu: User


@pytest.fixture
def setup() -> Setup:
    city = make_city()
    quartier = make_quartier(city)
    process = ProcessFactory.create(territory=city, is_published=True)
    rule = PetitionRule.objects.create(
        kind="petition",
        level="quartier",
        threshold=3,
        verification="email",
        duration_days=30,
        answer_days=20,
        process=process,
    )
    people = {}
    for name, role in (("moderator", Role.MODERATOR), ("agent", Role.AGENT), ("elu", Role.ELU)):
        people[name] = UserFactory.create(display_name=name.capitalize())
        RoleFactory.create(user=people[name], role=role, territory=city)
    return Setup(
        city=city,
        quartier=quartier,
        process=process,
        rule=rule,
        resident=UserFactory.create(display_name="Awa Déposante", home_territory=quartier),
        signer=UserFactory.create(display_name="Zoé Signataire-Secrète", home_territory=quartier),
        **people,
    )


def _file(s: Setup, title: str = "Des bancs et de l'ombre sur la place") -> Petition:
    return services.petition_file(
        author=s.resident,
        kind="petition",
        title=title,
        body="Les familles ne peuvent plus s'asseoir sur la place depuis les travaux. " * 2,
        recipient="Le maire",
        territory=s.quartier,
    )


def _published(s: Setup, title: str = "Des bancs et de l'ombre sur la place") -> Petition:
    return services.petition_moderate(actor=s.moderator, petition=_file(s, title), publish=True)


def identity(family_name: str = "Signataire", **changes: Any) -> dict[str, Any]:
    """What a signatory gives, online or on paper (a distinct family name, a distinct person)."""
    return {
        "family_name": family_name,
        "first_name": "Zoé",
        "birth_date": datetime.date(1980, 5, 17),
        "address": "12 rue des Tilleuls",
        "postal_code": "44000",
        **changes,
    }


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_filing_freezes_the_rules_and_waits_for_moderation(setup: Setup) -> None:
    petition = _file(setup)
    setup.rule.threshold = 500
    setup.rule.save()
    assert petition.threshold == 3 and petition.state == Petition.State.PENDING
    assert _client(None).get(petition.get_absolute_url()).status_code == 404
    assert _client(setup.signer).get(petition.get_absolute_url()).status_code == 404
    assert _client(setup.resident).get(petition.get_absolute_url()).status_code == 200
    space = _client(setup.resident).get(reverse("accounts:dashboard")).content.decode()
    assert "Mes pétitions" in space and "En attente de modération" in space
    assert "Mes pétitions" not in _client(setup.signer).get(reverse("accounts:dashboard")).content.decode()
    with pytest.raises(PermissionDenied):
        services.petition_moderate(actor=setup.agent, petition=petition, publish=True)
    published = services.petition_moderate(actor=setup.moderator, petition=petition, publish=True)
    assert published.closes_at is not None and published.closes_at > timezone.now() + datetime.timedelta(days=29)
    assert _client(None).get(petition.get_absolute_url()).status_code == 200


def test_a_refusal_needs_a_public_reason_shown_on_the_page(setup: Setup) -> None:
    petition = _file(setup)
    with pytest.raises(ValidationError) as refused:
        services.petition_moderate(actor=setup.moderator, petition=petition, publish=False, reason="  ")
    assert "motif" in str(refused.value)
    services.petition_moderate(actor=setup.moderator, petition=petition, publish=False, reason="Propos injurieux.")
    page = _client(None).get(petition.get_absolute_url()).content.decode()
    assert "Refusée à la modération" in page and "Propos injurieux." in page
    assert "Signer cette pétition" not in page


def test_bad_input_gives_french_errors_and_keeps_what_was_typed(setup: Setup) -> None:
    other_level = Territory.objects.create(
        name="Île de Nantes sud", slug="ile-sud", kind="micro", parent=setup.quartier
    )
    client = _client(setup.resident)
    form_page = client.get(reverse("petitions:create")).content.decode()
    assert "Les règles du jeu" in form_page and "<td>3</td>" in form_page  # shown before filing
    body = "Un texte assez long pour passer la longueur minimale, tapé avec soin : ne le perdez pas ! " * 2
    data = {"kind": "petition", "title": "Court", "body": body, "recipient": "Le maire", "territory": other_level.pk}
    response = client.post(reverse("petitions:create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "tapé avec soin" in page and "Le maire" in page
    assert "au moins 10 caractères" in page
    data["title"] = "Un vrai titre de pétition"
    page = client.post(reverse("petitions:create"), data).content.decode()
    assert "pas encore fixé les règles du jeu" in page and "tapé avec soin" in page
    assert not Petition.objects.exists()
    # Unicode digits and NUL-free junk in a choice field are refused, not crashed on.
    data.update({"territory": "٣", "kind": "pétition"})
    assert client.post(reverse("petitions:create"), data).status_code == 400


def test_duplicates_are_suggested_then_a_different_petition_can_still_be_filed(setup: Setup) -> None:
    _published(setup, "Pistes cyclables rue de Strasbourg")
    client = _client(setup.signer)
    data = {
        "kind": "petition",
        "title": "Une piste cyclable rue de Strasbourg",
        "body": "Les vélos n'ont aucune place rue de Strasbourg, nous demandons une piste protégée.",
        "recipient": "Le maire",
        "territory": setup.quartier.pk,
    }
    response = client.post(reverse("petitions:create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Des pétitions proches existent déjà" in page and "Pistes cyclables rue de Strasbourg" in page
    assert "une piste protégée" in page
    response = client.post(reverse("petitions:create"), {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert Petition.objects.filter(author=setup.signer, state="pending").count() == 1


def test_filing_is_rate_limited_to_three_a_day(setup: Setup) -> None:
    from django.core.cache import cache

    cache.clear()
    client = _client(setup.resident)
    statuses = []
    for index in range(4):
        data = {
            "kind": "petition",
            "title": f"Demande numéro {'abcd'[index]} pour le quartier",
            "body": "Un texte de pétition suffisamment long pour être accepté par le formulaire. " * 2,
            "recipient": "Le maire",
            "territory": setup.quartier.pk,
            "confirm_new": "on",
        }
        statuses.append(client.post(reverse("petitions:create"), data).status_code)
    assert statuses == [302, 302, 302, 429]
    cache.clear()


def test_online_signature_needs_the_level_and_counts_once(setup: Setup) -> None:
    petition = _published(setup)
    unconfirmed = UserFactory.create(verification="none")
    with pytest.raises(ValidationError, match="niveau"):
        services.sign_online(user=unconfirmed, petition=petition, **identity())
    services.sign_online(user=setup.signer, petition=petition, **identity())
    with pytest.raises(ValidationError, match="déjà signé"):
        services.sign_online(user=setup.signer, petition=petition, **identity())
    petition.refresh_from_db()
    assert petition.signature_count == 1 == Signature.objects.filter(petition=petition).count()
    # The page never lists who signed.
    page = _client(setup.agent).get(reverse("petitions_admin:detail", kwargs={"pk": petition.pk})).content.decode()
    assert "Zoé Signataire-Secrète" not in page
    assert "Zoé Signataire-Secrète" not in _client(None).get(petition.get_absolute_url()).content.decode()


def test_each_signature_is_one_participation_event_and_a_refused_one_none(setup: Setup) -> None:
    petition = _published(setup)
    services.sign_online(user=setup.signer, petition=petition, **identity())
    with pytest.raises(ValidationError, match="déjà signé"):
        services.sign_online(user=setup.signer, petition=petition, **identity())
    sheet: dict[str, Any] = {
        "family_name": "Martin",
        "first_name": "Léa",
        "birth_date": datetime.date(1975, 6, 1),
        "address": "2 rue des Ormes",
        "postal_code": "44000",
        "territory": setup.quartier,
    }
    services.sign_paper(actor=setup.agent, petition=petition, **sheet)
    with pytest.raises(ValidationError, match="déjà signé"):
        services.sign_paper(actor=setup.agent, petition=petition, **sheet)
    events = ParticipationEvent.objects.filter(module="petitions", kind="signature")
    assert sorted(events.values_list("channel", flat=True)) == ["online", "paper"]
    assert events.get(channel="online").person_id == setup.signer.pk
    paper = events.get(channel="paper")
    assert paper.person_id is None and paper.territory_id == setup.quartier.pk
    assert {event.process_id for event in events} == {setup.process.pk}


def test_paper_signatures_are_deduplicated_without_keeping_names(setup: Setup) -> None:
    petition = _published(setup)
    sheet: dict[str, Any] = {
        "family_name": "Le Goff",
        "first_name": "Yannick",
        "birth_date": datetime.date(1961, 3, 12),
        "address": "3 rue des Lilas",
        "postal_code": "44000",
        "territory": setup.quartier,
    }
    services.sign_paper(actor=setup.agent, petition=petition, **sheet)
    retyped = {**sheet, "family_name": "LE  GOFF", "first_name": "yannick marie", "address": "3, r. des lilas"}
    with pytest.raises(ValidationError, match="déjà signé"):
        services.sign_paper(actor=setup.agent, petition=petition, **retyped)
    services.sign_paper(actor=setup.agent, petition=petition, **{**sheet, "birth_date": datetime.date(1990, 1, 1)})
    keys = list(Signature.objects.values_list("person_key", flat=True))
    assert len(keys) == 2 and all(key.startswith("p:") and len(key) == 66 for key in keys)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM petitions_signature")
        dump = str(cursor.fetchall()).lower()
    assert "goff" not in dump and "lilas" not in dump and "1961" not in dump
    with pytest.raises(PermissionDenied):
        services.sign_paper(actor=setup.signer, petition=petition, **sheet)
    # The form refuses Unicode digits in the postcode and keeps the rest.
    response = _client(setup.agent).post(
        reverse("petitions_admin:paper", kwargs={"pk": petition.pk}),
        {
            "family_name": "Diallo",
            "first_name": "Fatou",
            "birth_date": "31/02/1980",
            "address": "1 rue X",
            "postal_code": "٤٤٠٠٠",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Diallo" in page and "cinq chiffres" in page


def test_threshold_sets_the_deadline_and_an_overdue_answer_is_public(setup: Setup) -> None:
    petition = _published(setup)
    for index in range(3):
        services.sign_online(
            user=UserFactory.create(home_territory=setup.quartier), petition=petition, **identity(f"Voisin{index}")
        )
    petition.refresh_from_db()
    assert petition.reached_at is not None
    assert petition.answer_due == timezone.localdate() + datetime.timedelta(days=20)
    Petition.objects.filter(pk=petition.pk).update(answer_due=timezone.localdate() - datetime.timedelta(days=1))
    assert "Réponse en retard" in _client(None).get(reverse("petitions:list")).content.decode()
    assert "Réponse en retard" in _client(None).get(petition.get_absolute_url()).content.decode()
    listing = _client(None).get(reverse("petitions:list"), {"etat": "answer_due"}).content.decode()
    assert "Des bancs et de" in listing
    assert "Des bancs et de" not in _client(None).get(reverse("petitions:list"), {"etat": "rejected"}).content.decode()
    assert _client(None).get(reverse("petitions:list"), {"etat": "٣\x01", "page": "²"}).status_code == 200
    rows = list(exports.petition_rows(None))
    assert rows[0]["answer_overdue"] is True and rows[0]["signatures"] == 3


def test_an_answer_waits_for_the_threshold_then_the_route_opens_a_draft_process(setup: Setup) -> None:
    petition = services.petition_file(
        author=setup.resident,
        kind="petition",
        title="Ouvrir une démarche sur l'ancienne piscine",
        body="Nous demandons une démarche participative sur l'avenir de l'ancienne piscine du quartier.",
        recipient="Le conseil municipal",
        territory=setup.quartier,
    )
    petition = services.petition_moderate(actor=setup.moderator, petition=petition, publish=True)
    client = _client(setup.elu)
    url = reverse("petitions_admin:answer", kwargs={"pk": petition.pk})
    data = {"status": Route.PROCESS, "body": "La Ville accepte et prépare la démarche.", "action": "publish"}
    response = client.post(url, data)
    assert response.status_code == 400 and "seuil de signatures" in response.content.decode()
    for index in range(3):
        services.sign_online(user=UserFactory.create(), petition=petition, **identity(f"Voisin{index}"))
    assert client.post(url, {**data, "body": " "}).status_code == 400
    assert client.post(url, data).status_code == 302
    petition.refresh_from_db()
    assert petition.route == Route.PROCESS and petition.created_process is not None
    created = petition.created_process
    assert not created.is_published and created.territory == setup.quartier
    assert petition.get_absolute_url() in created.description
    page = _client(None).get(petition.get_absolute_url()).content.decode()
    assert "La Ville accepte et prépare la démarche." in page and "en préparation" in page
    # A second publication cannot route it again.
    assert client.post(url, data).status_code == 400


def test_the_agora_route_creates_a_draft_agora(setup: Setup) -> None:
    from apps.answers.models import Answer

    petition = _published(setup)
    Petition.objects.filter(pk=petition.pk).update(reached_at=timezone.now())
    answer = Answer.objects.create(
        source=petition, process=setup.process, status=Route.AGORA, body="Oui.", state="published"
    )
    answer_published(setup.elu, answer)
    petition.refresh_from_db()
    agora = petition.agoras.get()
    assert petition.route == Route.AGORA and not agora.is_published and agora.territory == setup.quartier


def test_exports_and_rgpd_never_carry_a_signatory(setup: Setup) -> None:
    petition = _published(setup)
    services.sign_online(user=setup.signer, petition=petition, **identity())
    rendered = str(list(exports.petition_rows(None))) + str(list(exports.count_rows(None)))
    assert "Zoé" not in rendered and "Awa" not in rendered
    # One signature in the quartier: a cell under 11, merged into the other quartiers.
    assert list(exports.count_rows(None)) == [
        {"petition": petition.pk, "territory": "autres-quartiers", "channel": "online", "signatures": 1}
    ]
    account_delete(user=setup.signer)
    signature = Signature.objects.get(petition=petition)
    assert signature.user_id is None and signature.person_key == f"d:{signature.pk}"
    petition.refresh_from_db()
    assert petition.signature_count == 1
