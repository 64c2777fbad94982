"""Ballot receipts stay valid (issue 8, item 13).

After voting, the back button showed "Votre vote n'est pas encore enregistré" and a second
"Confirmer" silently replaced the ballot with a new receipt. Now the ballot pages show the
recorded ballot, a change is an explicit step naming the receipt it replaces, a stale form
changes nothing, and the receipt check tells a replaced receipt from an unknown one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.budgets.models import Ballot, Budget, Envelope
from apps.budgets.voting import ballots, services

pytestmark = pytest.mark.django_db


def _urls(budget: Budget, envelope: Envelope) -> tuple[str, str]:
    kwargs = {"slug": budget.process.slug, "envelope_pk": envelope.pk}
    return reverse("budgets:ballot", kwargs=kwargs), reverse("budgets:receipt", kwargs=kwargs)


def test_the_back_button_after_voting_shows_the_recorded_ballot(
    budget: Budget, city_envelope: Envelope, voter: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(voter)
    url, receipt_url = _urls(budget, city_envelope)
    a, b, c, _d = (p.pk for p in ballots.ballot_projects(city_envelope))
    review = {"action": "review", "projets": [a, b], "remplace": ""}
    assert client.post(url, review).status_code == 200
    assert client.post(url, {**review, "action": "confirm"}).status_code == 302
    first = Ballot.objects.get()

    # Back to the ballot page (GET): the recorded ballot, not an empty or "not yet recorded" page.
    response = client.get(url, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == receipt_url
    assert "pas encore enregistré" not in html and first.receipt in html and "Modifier mon vote" in html
    assert "Votre reçu en vigueur" in html

    # Back to the review page (the browser re-sends its form): the recorded ballot again.
    page = client.post(url, {**review, "projets": [c]})
    html = page.content.decode()
    assert page.status_code == 409 and "pas encore enregistré" not in html and first.receipt in html
    assert "n'était plus à jour" in html

    # "Confirmer" on the old confirmation page: nothing is replaced.
    page = client.post(url, {**review, "action": "confirm", "projets": [c]})
    assert page.status_code == 409 and "n'était plus à jour" in page.content.decode()
    assert Ballot.objects.get().receipt == first.receipt
    assert set(Ballot.objects.get().choices.values_list("project_id", flat=True)) == {a, b}


def test_a_change_names_the_receipt_it_replaces(
    budget: Budget, city_envelope: Envelope, voter: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(voter)
    url, _receipt_url = _urls(budget, city_envelope)
    a, b, c, d = (p.pk for p in ballots.ballot_projects(city_envelope))
    first = services.ballot_cast(user=voter, envelope=city_envelope, choices={a: 1}, replaces="")
    page = client.get(url, {"modifier": "1"}).content.decode()
    assert "sera remplacé par un nouveau" in page and first.receipt in page
    assert client.post(url, {"action": "confirm", "projets": [b], "remplace": first.receipt}).status_code == 302
    second = Ballot.objects.get()
    assert second.receipt != first.receipt

    # The form of the first change, sent again (a second tab): refused, the second ballot stays.
    response = client.post(url, {"action": "confirm", "projets": [c, d], "remplace": first.receipt})
    assert response.status_code == 409
    assert Ballot.objects.get().receipt == second.receipt

    check = reverse("budgets:receipt_check", kwargs={"slug": budget.process.slug})
    assert "a été remplacé" in client.get(check, {"code": first.receipt}).content.decode()
    assert "est enregistré et sera compté" in client.get(check, {"code": second.receipt}).content.decode()


def test_the_service_refuses_a_stale_replacement(budget: Budget, city_envelope: Envelope, voter: User) -> None:
    a, b, *_ = (p.pk for p in ballots.ballot_projects(city_envelope))
    first = services.ballot_cast(user=voter, envelope=city_envelope, choices={a: 1}, replaces="")
    with pytest.raises(services.StaleBallotForm):
        services.ballot_cast(user=voter, envelope=city_envelope, choices={b: 1}, replaces="")
    with pytest.raises(services.StaleBallotForm):
        services.ballot_cast(user=voter, envelope=city_envelope, choices={b: 1}, replaces="AAAA-BBBB-CCCC-DDDD")
    assert Ballot.objects.get().receipt == first.receipt
    services.ballot_cast(user=voter, envelope=city_envelope, choices={b: 1}, replaces=first.receipt)
    assert services.receipt_state(budget, first.receipt) == "replaced"
