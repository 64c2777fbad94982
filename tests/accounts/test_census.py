"""Item 7: the census list — imported as keyed digests, matched by residents, purged."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts import census
from apps.accounts.models import CensusEntry, CensusImport, User, VerificationRecord
from apps.core.models import AuditLogEntry, Role, Territory
from tests.conftest import Personas
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = (
    "Nom;Prénom;Date de naissance;Adresse;Code postal;Quartier\n"
    "LEFÈVRE;Hélène Marie;04/05/1980;12 rue de l'Église;44000;Malakoff - Saint-Donatien\n"
    "N'Diaye;Jean-Pierre;1975-11-30;3 bd des Poilus;44300;bellevue-chantenay\n"
    "Martin;Paul;01/01/1990;5 place Royale;44000;\n"
)


@pytest.fixture
def city_agent(city: Territory) -> User:
    agent = UserFactory.create(display_name="Accueil Ville")
    RoleFactory.create(user=agent, role=Role.AGENT, territory=city)
    return agent


@pytest.fixture
def imported(city_agent: User, city: Territory, quartier: Territory, other_quartier: Territory) -> CensusImport:
    return census.census_import(actor=city_agent, city=city, raw=LIST.encode("cp1252"))


def check_data(**extra: str) -> dict[str, str]:
    data = {
        "nom": "lefevre",
        "prenom": "  helene ",
        "birth_date": "04/05/1980",
        "address": "12, R. de l Eglise",
        "postal_code": "44 000",
    }
    return {**data, **extra}


def test_normalisation_ignores_accents_case_spaces_punctuation_and_abbreviations() -> None:
    born = datetime.date(1980, 5, 4)
    reference = census.census_digest(
        nom="LEFÈVRE", prenom="Hélène Marie", birth_date=born, address="12 rue de l'Église", postal_code="44000"
    )
    assert reference == census.census_digest(
        nom=" lefevre ", prenom="helene", birth_date=born, address="12, R. de l Eglise", postal_code="44 000"
    )
    assert reference != census.census_digest(
        nom="Lefèvre",
        prenom="Hélène",
        birth_date=born.replace(day=5),
        address="12 rue de l'Église",
        postal_code="44000",
    )
    assert reference != census.census_digest(
        nom="Lefèvre", prenom="Hélène", birth_date=born, address="14 rue de l'Église", postal_code="44000"
    )
    assert census.normalise_name("Œuvray", "Jean-Pierre") == "oeuvray|jeanpierre"


def test_the_import_keeps_only_digests_and_quartiers(
    imported: CensusImport, quartier: Territory, other_quartier: Territory
) -> None:
    assert imported.row_count == 3
    assert imported.purge_on == timezone.localdate() + datetime.timedelta(days=365)
    entries = list(CensusEntry.objects.order_by("pk").values("digest", "quartier"))
    assert [e["quartier"] for e in entries] == [quartier.pk, other_quartier.pk, None]
    stored = repr(list(CensusEntry.objects.values())) + repr(list(CensusImport.objects.values()))
    for clear in ("fevre", "FÈVRE", "Diaye", "1980", "glise", "44000", "Poilus", "Martin"):
        assert clear not in stored, clear
    assert AuditLogEntry.objects.filter(action="census.imported", details__rows=3).exists()


def test_csv_errors_are_listed_in_french_with_line_numbers(
    client_for: Callable[[User | None], Client], city_agent: User, city: Territory, quartier: Territory
) -> None:
    bad = (
        "nom,prénom,date de naissance,adresse,code postal,quartier\n"
        "Durand,Léa,32/01/1990,1 rue A,44000,\n"
        "Durand,Léo,01/01/1990,1 rue A,440,\n"
        "Durand,Lou,01/01/1990,1 rue A,44000,Atlantide\n"
        ",Lia,01/01/1990,1 rue A,44000,\n"
        "Petit,Ana,01/01/1990,2 rue B,44000,\n"
        "PETIT,Ana,01/01/1990,2 rue B,44000,\n"
    )
    upload = SimpleUploadedFile("liste.csv", bad.encode(), content_type="text/csv")
    response = client_for(city_agent).post(reverse("backoffice:census"), {"city": city.pk, "file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    for expected in (
        "<td>2</td><td>date de naissance « 32/01/1990 » illisible",
        "<td>3</td><td>code postal « 440 »\u00a0: 5 chiffres attendus",
        "<td>4</td><td>quartier « Atlantide » inconnu dans Nantes",
        "<td>5</td><td>valeur manquante (nom)",
        "<td>7</td><td>même personne qu&#x27;à la ligne 6",
    ):
        assert expected in html, expected
    assert not CensusImport.objects.exists()
    missing = SimpleUploadedFile("liste.csv", b"nom;prenom\nA;B\n", content_type="text/csv")
    response = client_for(city_agent).post(reverse("backoffice:census"), {"city": city.pk, "file": missing})
    assert "colonnes absentes" in response.content.decode()


def test_only_agents_of_the_whole_city_import(
    client_for: Callable[[User | None], Client], personas: Personas, city: Territory
) -> None:
    for name in ("agent", "admin_elsewhere", "elu", "resident"):
        upload = SimpleUploadedFile("liste.csv", LIST.encode(), content_type="text/csv")
        client = client_for(personas[name])
        assert client.get(reverse("backoffice:census")).status_code == 403, name
        assert client.post(reverse("backoffice:census"), {"city": city.pk, "file": upload}).status_code == 403, name
    assert not CensusImport.objects.exists()


def test_a_resident_proves_residence_despite_accents_case_and_spaces(
    client_for: Callable[[User | None], Client], imported: CensusImport, quartier: Territory
) -> None:
    resident = UserFactory.create(home_territory=None)
    client = client_for(resident)
    assert client.get(reverse("accounts:census_check")).status_code == 200
    response = client.post(reverse("accounts:census_check"), check_data())
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.verification == "verified" and resident.home_territory == quartier
    assert resident.birth_date == datetime.date(1980, 5, 4) and resident.birth_date_locked_at is not None
    record = VerificationRecord.objects.get(user=resident)
    assert (record.method, record.territory, record.verified_by) == ("census", quartier, None)
    assert AuditLogEntry.objects.filter(action="account.verified", details__method="census").count() == 1
    # The same identity cannot verify a second account.
    other = UserFactory.create()
    refused = client_for(other).post(reverse("accounts:census_check"), check_data())
    assert refused.status_code == 400 and "déjà servi" in refused.content.decode()
    other.refresh_from_db()
    assert other.verification == "email"


def test_a_mismatch_is_a_french_error_that_keeps_what_was_typed(
    client_for: Callable[[User | None], Client], imported: CensusImport
) -> None:
    resident = UserFactory.create()
    response = client_for(resident).post(reverse("accounts:census_check"), check_data(birth_date="05/05/1980"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "ne correspondent à personne" in html
    assert 'value="lefevre"' in html and 'value="05/05/1980"' in html
    resident.refresh_from_db()
    assert resident.verification == "email" and resident.birth_date is None


def test_matching_attempts_are_rate_limited(
    client_for: Callable[[User | None], Client], imported: CensusImport
) -> None:
    client = client_for(UserFactory.create())
    for day in range(1, 6):
        assert (
            client.post(reverse("accounts:census_check"), check_data(birth_date=f"{day:02d}/01/1980")).status_code
            == 400
        )
    # Even the right answer is refused now: trying every birth date of a neighbour takes months.
    response = client.post(reverse("accounts:census_check"), check_data())
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode() and 'value="lefevre"' in response.content.decode()


def test_an_unconfirmed_account_must_confirm_its_email_first(
    client_for: Callable[[User | None], Client], imported: CensusImport
) -> None:
    person = UserFactory.create(verification="none")
    response = client_for(person).post(reverse("accounts:census_check"), check_data())
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.verification == "none"


def test_reimport_replaces_the_list_and_keeps_claims(
    client_for: Callable[[User | None], Client], imported: CensusImport, city_agent: User, city: Territory
) -> None:
    first = UserFactory.create()
    client_for(first).post(reverse("accounts:census_check"), check_data())
    replacement = census.census_import(actor=city_agent, city=city, raw=LIST.encode())
    assert list(CensusImport.objects.values_list("pk", flat=True)) == [replacement.pk]
    assert CensusEntry.objects.count() == 3
    assert AuditLogEntry.objects.filter(action="census.replaced").count() == 1
    second = UserFactory.create()
    assert client_for(second).post(reverse("accounts:census_check"), check_data()).status_code == 400


def test_census_purge_deletes_lists_past_their_date(
    client_for: Callable[[User | None], Client], imported: CensusImport, city_agent: User, city: Territory
) -> None:
    CensusImport.objects.filter(pk=imported.pk).update(purge_on=timezone.localdate())
    # Past its date, a list no longer proves anything, even before the nightly purge.
    resident = UserFactory.create()
    assert client_for(resident).post(reverse("accounts:census_check"), check_data()).status_code == 400
    resident.refresh_from_db()
    assert resident.verification == "email"
    call_command("census_purge")
    assert not CensusImport.objects.exists() and not CensusEntry.objects.exists()
    assert AuditLogEntry.objects.filter(action="census.purged", details__rows=3).exists()
    # A list still in its year stays.
    kept = census.census_import(actor=city_agent, city=city, raw=LIST.encode())
    assert census.census_purge() == 0
    assert CensusImport.objects.filter(pk=kept.pk).exists()
    assert census.census_purge(today=timezone.localdate() + datetime.timedelta(days=366)) == 1


def test_a_city_agent_deletes_the_list_at_once(
    client_for: Callable[[User | None], Client],
    imported: CensusImport,
    city_agent: User,
    personas: Personas,
) -> None:
    url = reverse("backoffice:census_delete", kwargs={"pk": imported.pk})
    assert client_for(personas["agent"]).post(url).status_code == 403
    assert client_for(city_agent).post(url).status_code == 302
    assert not CensusEntry.objects.exists()
    assert AuditLogEntry.objects.filter(action="census.deleted").exists()


def test_the_upload_page_lists_the_list_in_service(
    client_for: Callable[[User | None], Client], imported: CensusImport, city_agent: User
) -> None:
    html = client_for(city_agent).get(reverse("backoffice:census")).content.decode()
    assert "Nantes\u00a0: 3 personnes" in html
    assert User.objects.get(pk=city_agent.pk).verification == "email"
