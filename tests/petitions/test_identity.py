"""One person, one signature, whatever the channel: the online form asks what a paper sheet asks,
and both give the same identity key, which the database keeps unique per petition."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.accounts.census import census_digest
from apps.accounts.models import CensusEntry, CensusImport
from apps.core.models import Territory
from apps.petitions import exports, services
from apps.petitions.models import Signature
from tests.factories import UserFactory
from tests.petitions.test_petitions import Setup, _client, _published, identity, setup

__all__ = ["setup"]

pytestmark = pytest.mark.django_db


def _sheet(setup: Setup, **changes: Any) -> dict[str, Any]:
    return {**identity(**changes), "territory": setup.quartier}


def test_online_after_paper_and_paper_after_online_count_once(setup: Setup) -> None:
    petition = _published(setup)
    services.sign_paper(actor=setup.agent, petition=petition, **_sheet(setup))
    # The same person online, typed differently (case, abbreviation, a second first name).
    retyped = identity(family_name="SIGNATAIRE", first_name="zoé marie", address="12, r. des tilleuls")
    with pytest.raises(ValidationError, match="en ligne ou sur papier"):
        services.sign_online(user=setup.signer, petition=petition, **retyped)

    other = _published(setup, title="Un passage piéton devant l'école")
    services.sign_online(user=setup.signer, petition=other, **identity())
    with pytest.raises(ValidationError, match="déjà signé"):
        services.sign_paper(actor=setup.agent, petition=other, **_sheet(setup))
    # A second account of the same person does not sign twice either.
    with pytest.raises(ValidationError, match="déjà signé"):
        services.sign_online(user=UserFactory.create(), petition=other, **retyped)
    # Another person in the same household does.
    services.sign_online(user=UserFactory.create(), petition=other, **identity(first_name="Yanis"))
    for each in (petition, other):
        each.refresh_from_db()
    assert petition.signature_count == 1 == Signature.objects.filter(petition=petition).count()
    assert other.signature_count == 2 == Signature.objects.filter(petition=other).count()


def test_an_account_verified_by_the_census_signs_under_its_identity_only(setup: Setup) -> None:
    petition = _published(setup)
    census = CensusImport.objects.create(city=setup.city, purge_on=timezone.localdate() + datetime.timedelta(days=30))
    facts = identity()
    CensusEntry.objects.create(
        census=census,
        digest=census_digest(
            nom=facts["family_name"],
            prenom=facts["first_name"],
            birth_date=facts["birth_date"],
            address=facts["address"],
            postal_code=facts["postal_code"],
        ),
        claimed_by=setup.signer,
    )
    with pytest.raises(ValidationError, match="identité vérifiée"):
        services.sign_online(user=setup.signer, petition=petition, **identity(family_name="Quelquun"))
    services.sign_online(user=setup.signer, petition=petition, **identity(family_name="SIGNATAIRE"))
    assert Signature.objects.filter(petition=petition).count() == 1


def test_the_sign_form_keeps_what_was_typed_and_never_stores_it(setup: Setup) -> None:
    petition = _published(setup)
    client = _client(setup.signer)
    url = reverse("petitions:sign", kwargs={"pk": petition.pk})
    detail = client.get(petition.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail
    assert 'name="family_name"' in client.get(url).content.decode()
    typed = {
        "family_name": "Ndiaye-Kervella",
        "first_name": "Aminata",
        "birth_date": "31/02/1980",
        "address": "7 impasse des Glycines",
        "postal_code": "44 000",
    }
    response = client.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ndiaye-Kervella" in page and "7 impasse des Glycines" in page and "cinq chiffres" in page
    assert "date valide" in page
    assert Signature.objects.count() == 0
    response = client.post(url, {**typed, "birth_date": "28/02/1980", "postal_code": "44000"})
    assert response.status_code == 302 and response["Location"] == petition.get_absolute_url()
    # Signed twice: refused, and the page says it is already done.
    again = client.post(url, {**typed, "birth_date": "28/02/1980", "postal_code": "44000"})
    assert again.status_code == 400 and "Vous avez signé cette pétition" in again.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM petitions_signature")
        dump = str(cursor.fetchall()).lower()
    assert "ndiaye" not in dump and "glycines" not in dump and "1980" not in dump
    exported = str(list(exports.petition_rows(None))) + str(list(exports.count_rows(None)))
    assert "Ndiaye" not in exported and "Zoé" not in exported and "Signataire" not in exported


def test_open_data_counts_merge_quartiers_under_eleven_signatures(setup: Setup) -> None:
    petition = _published(setup)
    Signature.objects.bulk_create(
        [
            Signature(
                petition=petition,
                person_key=f"p:test-{index}",
                channel="paper",
                territory=setup.quartier if index < 12 else setup.city,
                signed_on=timezone.localdate(),
            )
            for index in range(15)
        ]
    )
    rows = list(exports.count_rows(None))
    assert rows == [
        {"petition": petition.pk, "territory": setup.quartier.slug, "channel": "paper", "signatures": 12},
        {"petition": petition.pk, "territory": "autres-quartiers", "channel": "paper", "signatures": 3},
    ]


def test_the_public_page_merges_quartiers_under_eleven_the_back_office_does_not(setup: Setup) -> None:
    petition = _published(setup)
    other = Territory.objects.create(name="Quartier Zéphyr", slug="zephyr", kind="quartier", parent=setup.city)
    Signature.objects.bulk_create(
        [
            Signature(
                petition=petition,
                person_key=f"p:page-{index}",
                channel="paper",
                territory=setup.quartier if index < 11 else other,
                signed_on=timezone.localdate(),
            )
            for index in range(13)
        ]
    )
    public = _client(None).get(petition.get_absolute_url()).content.decode()
    assert setup.quartier.name in public and "Quartier Zéphyr" not in public
    assert "Autres quartiers (moins de 11 signatures chacun)" in public
    staff = _client(setup.agent).get(reverse("petitions_admin:detail", kwargs={"pk": petition.pk})).content.decode()
    assert "Quartier Zéphyr" in staff
