"""The vote in HTTP: ballot page, running total, confirmation, receipt, change of ballot,
results hidden before the close for everyone (administrators included), back office."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.budgets.models import Ballot, Budget, Envelope, PaperSheet, VoterRecord
from apps.budgets.voting import ballots, results, services
from apps.budgets.voting.forms import BallotForm, ProjectChoiceField
from apps.core.models import Territory
from tests.budgets.voting.factories import make_vote_budget, move_to
from tests.conftest import PERSONAS, Personas
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_budget(city: Territory, quartier: Territory) -> Budget:
    """A budget process held on the quartier, so that the quartier's staff run it."""
    budget = make_vote_budget(city=city, quartier=quartier, slug="bp-quartier")
    process = budget.process
    process.territory = quartier
    process.save()
    return budget


def _url(budget: Budget, envelope: Envelope, name: str = "budgets:ballot") -> str:
    return reverse(name, kwargs={"slug": budget.process.slug, "envelope_pk": envelope.pk})


def test_vote_home_shows_the_rules_and_my_envelopes(
    budget: Budget, voter: User, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("budgets:vote", kwargs={"slug": budget.process.slug})
    response = client_for(None).get(url)
    assert response.status_code == 200
    assert "Les plus votés, dans la limite de l&#x27;enveloppe" in response.content.decode()
    assert "Se connecter pour voter" in response.content.decode()
    page = client_for(voter).get(url).content.decode()
    assert "Voter\xa0: Toute la ville" in page and "Voter\xa0: Malakoff" in page


def test_the_whole_online_vote(
    budget: Budget, city_envelope: Envelope, voter: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(voter)
    url = _url(budget, city_envelope)
    a, b, c, d = (p.pk for p in ballots.ballot_projects(city_envelope))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="projets"' in html and "Mettre à jour le total" in html and "facile à lire" in html

    # The running total without JavaScript.
    page = client.post(url, {"action": "total", "projets": [a, d]})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<span data-total="cost">50\xa0000</span>' in html and '<span data-total="left">50\xa0000</span>' in html
    assert html.count("checked") == 2

    # Too many projects: errors in French, what was ticked is kept.
    page = client.post(url, {"action": "review", "projets": [a, b, c, d]})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Vous pouvez choisir 3 projets au plus\u202f; vous en avez choisi 4." in html
    assert 'href="#id_projets_0"' in html and html.count("checked") == 4

    # Review, then confirm.
    page = client.post(url, {"action": "review", "projets": [a, b]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vérifiez votre vote" in html and "Confirmer mon vote" in html
    assert f'name="projets" value="{a}"' in html
    assert not VoterRecord.objects.exists()
    response = client.post(url, {"action": "confirm", "projets": [a, b]})
    assert response.status_code == 302 and response["Location"] == _url(budget, city_envelope, "budgets:receipt")
    ballot = Ballot.objects.get()
    receipt = client.get(response["Location"]).content.decode()
    assert ballot.receipt in receipt and "Ce que prouve ce reçu" in receipt

    # Back on the ballot: the recorded ballot and its receipt, never "not yet recorded".
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == _url(budget, city_envelope, "budgets:receipt")
    # Changing it is an explicit step that names the receipt it replaces.
    html = client.get(url, {"modifier": "1"}).content.decode()
    assert "Vous modifiez votre vote" in html and ballot.receipt in html and html.count("checked") == 2
    assert f'name="remplace" value="{ballot.receipt}"' in html
    text = client.post(url, {"action": "review", "projets": [c], "remplace": ballot.receipt}).content.decode()
    assert "votre reçu " + ballot.receipt + " ne vaudra plus" in text and "Confirmer et remplacer mon vote" in text
    client.post(url, {"action": "confirm", "projets": [c], "remplace": ballot.receipt})
    assert VoterRecord.objects.count() == 1 and Ballot.objects.count() == 1
    assert list(Ballot.objects.get().choices.values_list("project_id", flat=True)) == [c]

    check = reverse("budgets:receipt_check", kwargs={"slug": budget.process.slug})
    new_receipt = Ballot.objects.get().receipt
    assert "est enregistré" in client_for(None).get(check, {"code": new_receipt}).content.decode()
    assert "a été remplacé" in client_for(None).get(check, {"code": ballot.receipt}).content.decode()
    assert "Aucun bulletin" in client_for(None).get(check, {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()


def test_a_project_key_not_on_the_ballot_is_refused_by_the_form(
    budget: Budget,
    city_envelope: Envelope,
    quartier_envelope: Envelope,
    voter: User,
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(voter)
    url = _url(budget, city_envelope)
    mine = ballots.ballot_projects(city_envelope)[0].pk
    elsewhere = ballots.ballot_projects(quartier_envelope)[0].pk
    for posted in ([mine, elsewhere], ["abc"], [f"{mine} "]):
        page = client.post(url, {"action": "confirm", "projets": posted})
        assert page.status_code == 400, posted
        assert "Sélectionnez un choix valide" in page.content.decode(), posted
    assert not VoterRecord.objects.exists()
    form = BallotForm(
        {"projets": [str(mine)]},
        budget=budget,
        envelope=city_envelope,
        projects=list(ballots.ballot_projects(city_envelope)),
        ask_birth_date=False,
    )
    assert form.is_valid() and form.choices() == {mine: 1}
    # The field still renders the ballot's projects as its choices.
    assert isinstance(form.fields["projets"], ProjectChoiceField)
    assert [box.data["value"] for box in form["projets"]] == [str(p.pk) for p in ballots.ballot_projects(city_envelope)]


def test_the_birth_date_is_asked_on_the_ballot(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    person = make_voter(birth_date=None)
    client = client_for(person)
    url = _url(budget, city_envelope)
    a = ballots.ballot_projects(city_envelope)[0].pk
    assert 'name="birth_date"' in client.get(url).content.decode()
    page = client.post(url, {"action": "review", "projets": [a]})
    assert page.status_code == 400 and "Indiquez votre date de naissance." in page.content.decode()
    page = client.post(url, {"action": "review", "projets": [a], "birth_date": "14/07/1990"})
    assert page.status_code == 200 and 'name="birth_date" value="1990-07-14"' in page.content.decode()
    assert client.post(url, {"action": "confirm", "projets": [a], "birth_date": "1990-07-14"}).status_code == 302
    person.refresh_from_db()
    assert person.birth_date == datetime.date(1990, 7, 14)


@pytest.mark.parametrize("kind", ["cumulative", "ranked", "knapsack"])
def test_other_ballot_types_through_the_page(
    kind: str,
    city: Territory,
    quartier: Territory,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    ballot_rules: dict[str, dict[str, Any]] = {
        "cumulative": {"ballot_type": "cumulative", "points_per_voter": 10, "max_points_per_project": 6},
        "ranked": {"ballot_type": "ranked", "max_choices": 3},
        "knapsack": {"ballot_type": "knapsack", "max_choices": None, "min_spend_share": 50},
    }
    options = ballot_rules[kind]
    budget = make_vote_budget(city=city, quartier=quartier, slug=f"bp-{kind}", **options)
    envelope = budget.envelopes.get(territory=None)
    a, b, c, d = (p.pk for p in ballots.ballot_projects(envelope))
    client = client_for(make_voter())
    url = _url(budget, envelope)
    forms: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
        "cumulative": ({f"points_{a}": "7", f"points_{b}": "5"}, {f"points_{a}": "6", f"points_{b}": "4"}),
        "ranked": ({f"rang_{a}": "1", f"rang_{b}": "1"}, {f"rang_{c}": "1", f"rang_{a}": "2"}),
        "knapsack": ({"projets": [d]}, {"projets": [a, b]}),
    }
    bad, good = forms[kind]
    page = client.post(url, {"action": "review", **bad})
    assert page.status_code == 400 and "form-error-summary" in page.content.decode()
    assert client.post(url, {"action": "confirm", **good}).status_code == 302
    ballot = Ballot.objects.get(envelope=envelope)
    stored = services.ballot_content(ballot)
    expected = {
        "cumulative": {a: 6, b: 4},
        "ranked": {c: 1, a: 2},
        "knapsack": {a: 1, b: 1},
    }[kind]
    assert stored == expected


def test_not_eligible_people_get_a_reason(
    budget: Budget, quartier_envelope: Envelope, other_quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    neighbour = UserFactory.create(home_territory=other_quartier, birth_date=datetime.date(1990, 1, 1))
    page = client_for(neighbour).get(_url(budget, quartier_envelope))
    assert page.status_code == 403 and "votre quartier de résidence" in page.content.decode()
    response = client_for(None).get(_url(budget, quartier_envelope))
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def _everyone(personas: Personas) -> dict[str, User | None]:
    people = dict(personas)
    people["superuser"] = User.objects.create_superuser("racine@example.org", "motdepasse-solide-42", display_name="R")
    return people


def test_results_are_hidden_from_everyone_until_the_close(
    local_budget: Budget,
    personas: Personas,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    budget = local_budget
    envelope = budget.envelopes.get(territory=None)
    services.ballot_cast(user=make_voter(), envelope=envelope, choices={ballots.ballot_projects(envelope)[0].pk: 1})
    slug = budget.process.slug
    urls = [
        reverse("budgets:results", kwargs={"slug": slug}),
        reverse("budgets:results_export", kwargs={"slug": slug, "fmt": "json"}),
        reverse("budgets:results_pabulib", kwargs={"slug": slug, "envelope_pk": envelope.pk}),
    ]
    people = _everyone(personas)
    assert set(people) == {*PERSONAS, "superuser"}
    for name, person in people.items():
        client = client_for(person)
        for url in urls:
            assert client.get(url).status_code == 404, (name, url)
        admin_page = client.get(reverse("budgets_admin:vote", kwargs={"process_pk": budget.process_id}))
        assert "Voix" not in admin_page.content.decode(), name

    # Closed, not yet published: a "not yet" page, still no figures, no downloads.
    move_to(budget.process, "results")
    for name, person in people.items():
        client = client_for(person)
        page = client.get(urls[0])
        assert page.status_code == 200 and "pas encore publiés" in page.content.decode(), name
        assert client.get(urls[1]).status_code == 404 and client.get(urls[2]).status_code == 404

    agent = people["agent"]
    response = client_for(agent).post(
        reverse("budgets_admin:results_publish", kwargs={"process_pk": budget.process_id})
    )
    assert response.status_code == 302
    for name, person in people.items():
        client = client_for(person)
        text = client.get(urls[0]).content.decode()
        assert "Retenu\xa0: 1 voix" in text, name
        assert client.get(urls[1]).status_code == 200 and client.get(urls[2]).status_code == 200


def test_back_office_paper_entry_in_http(
    local_budget: Budget, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    budget = local_budget
    envelope = budget.envelopes.get(territory=None)
    a = ballots.ballot_projects(envelope)[0].pk
    first = personas["agent"]
    second = UserFactory.create(display_name="Seconde agente")
    RoleFactory.create(user=second, role="agent", process=budget.process)
    admin_url = reverse("budgets_admin:vote", kwargs={"process_pk": budget.process_id})
    assert client_for(first).get(admin_url).status_code == 200
    for persona in ("resident", "elu", "moderator", "admin_elsewhere"):
        assert client_for(personas[persona]).get(admin_url).status_code == 403, persona

    new_url = reverse("budgets_admin:paper_new", kwargs={"envelope_pk": envelope.pk})
    page = client_for(first).post(new_url, {"number": "", "voter_name": "", "voter_birth_date": ""})
    assert page.status_code == 400 and "Indiquez le numéro imprimé sur le bulletin." in page.content.decode()
    data = {"number": "B-1", "voter_name": "Anne Leroy", "voter_birth_date": "1960-01-02", "projets": [a]}
    assert client_for(first).post(new_url, data).status_code == 302
    sheet = PaperSheet.objects.get()
    second_url = reverse("budgets_admin:paper_second", kwargs={"pk": sheet.pk})
    assert client_for(first).get(second_url).status_code == 403  # not the same agent
    text = client_for(second).get(second_url).content.decode()
    assert "Anne" not in text and "B-1" in text  # blind: the first entry is not shown
    response = client_for(second).post(second_url, {k: v for k, v in data.items() if k != "number"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == "confirmed" and Ballot.objects.count() == 1
    assert results.pending_sheets(budget) == 0
