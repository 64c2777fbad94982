"""Issue 8, item 7: the vote asks for the verification level the budget names, and the birth
date typed at the first ballot attempt is fixed, even when it is refused for age."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.budgets.models import Ballot, Budget, Envelope
from apps.budgets.voting import ballots, rules

pytestmark = pytest.mark.django_db


def _url(budget: Budget, envelope: Envelope) -> str:
    return reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": envelope.pk})


def test_an_unconfirmed_address_cannot_vote_where_a_confirmed_one_is_required(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    assert budget.required_verification == "email"
    person = make_voter(verification=User.Verification.NONE)
    reason = rules.ineligibility_reason(person, city_envelope)
    assert reason is not None and "adresse électronique confirmée" in reason
    page = client_for(person).get(_url(budget, city_envelope))
    assert page.status_code == 403 and "adresse électronique confirmée" in page.content.decode()
    person.verification = User.Verification.EMAIL
    person.save()
    assert rules.ineligibility_reason(person, city_envelope) is None


def test_a_verified_account_is_required_where_the_budget_says_so(
    budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    budget.required_verification = "verified"
    budget.save(update_fields=["required_verification"])
    person = make_voter()
    assert "vérifié par la Ville" in str(rules.ineligibility_reason(person, city_envelope))
    person.verification = User.Verification.VERIFIED
    assert rules.ineligibility_reason(person, city_envelope) is None


def test_a_birth_date_refused_for_age_cannot_be_retyped(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    assert budget.min_age == 16
    person = make_voter(birth_date=None)
    client = client_for(person)
    url = _url(budget, city_envelope)
    a = ballots.ballot_projects(city_envelope)[0].pk
    too_young = (timezone.localdate() - datetime.timedelta(days=365 * 12)).strftime("%d/%m/%Y")
    refused = client.post(url, {"action": "confirm", "projets": [a], "birth_date": too_young})
    assert refused.status_code == 403 and "16 ans" in refused.content.decode()
    person.refresh_from_db()
    assert person.birth_date is not None and person.birth_date_locked_at is not None
    first = person.birth_date
    # Retyping an older date on the ballot changes nothing: the field is no longer asked for,
    # the date stays, and the vote stays refused.
    again = client.post(url, {"action": "confirm", "projets": [a], "birth_date": "14/07/1990"})
    assert again.status_code == 403
    person.refresh_from_db()
    assert person.birth_date == first
    assert not Ballot.objects.exists()


def test_the_profile_date_is_fixed_by_the_first_ballot_attempt(
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    person = make_voter(birth_date=datetime.date(1990, 7, 14))
    a = ballots.ballot_projects(city_envelope)[0].pk
    assert (
        client_for(person).post(_url(budget, city_envelope), {"action": "confirm", "projets": [a]}).status_code == 302
    )
    person.refresh_from_db()
    assert person.birth_date_locked_at is not None
