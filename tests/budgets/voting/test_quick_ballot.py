"""The confirmed ballot read without building BallotForm (forms.valid_checkbox_choices): the
choices the form gives when it is valid, None (the form decides, with its messages) otherwise."""

from __future__ import annotations

import re
from collections.abc import Callable
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.budgets.models import BallotType, Budget, Envelope, VoterRecord
from apps.budgets.voting import ballots, services
from apps.budgets.voting.forms import BallotForm, valid_checkbox_choices

pytestmark = pytest.mark.django_db


def _posted(values: list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    data.setlist("projets", values)
    data["action"] = "confirm"
    return data


def _inputs(pks: list[int], elsewhere: int) -> list[list[str]]:
    a, b, c, d = (str(pk) for pk in pks[:4])
    return [
        [a],
        [a, b],
        [a, b, c],
        [a, b, c, d],  # more than max_choices
        [a, a],  # twice the same box
        [a, a, b, c],
        [],  # nothing ticked
        [""],
        [str(elsewhere)],  # a project of another envelope
        ["0"],
        ["-" + a],
        ["+" + a],
        ["0" + a],  # the same number, written otherwise
        [a + " "],
        [" " + a],
        [a + ".0"],
        ["".join(chr(0x0660 + int(digit)) for digit in a)],  # Arabic-Indic digits: int() takes them
        ["".join(chr(0xFF10 + int(digit)) for digit in a)],  # fullwidth digits
        [a + "\x00"],
        ["\x00"],
        ["9" * 5000],  # huge
        ["1e3"],
        ["abc"],
        [a, "abc"],
    ]


@pytest.mark.parametrize("kind", [BallotType.APPROVAL, BallotType.KNAPSACK])
def test_the_quick_read_gives_what_the_form_gives_on_every_input(
    budget: Budget, city_envelope: Envelope, quartier_envelope: Envelope, kind: str
) -> None:
    budget.ballot_type = kind
    if kind == BallotType.KNAPSACK:
        budget.max_choices = None
        budget.min_spend_share = 0
    city_envelope.budget = budget
    projects = list(ballots.ballot_projects(city_envelope))
    pks = [p.pk for p in projects]
    if kind == BallotType.KNAPSACK:
        # The first three projects fit, the four do not.
        city_envelope.amount = sum(p.cost for p in projects[:3])
    elsewhere = ballots.ballot_projects(quartier_envelope)[0].pk
    accepted = refused = 0
    for values in _inputs(pks, elsewhere):
        data = _posted(values)
        form = BallotForm(data, budget=budget, envelope=city_envelope, projects=projects, ask_birth_date=False)
        expected = form.choices() if form.is_valid() else None
        quick = valid_checkbox_choices(budget, city_envelope, projects, data)
        assert quick == expected, (values, form.errors)
        if quick is not None:
            assert list(quick) == list(expected or {})  # same order too
            accepted += 1
        else:
            refused += 1
    assert accepted >= 3 and refused >= 15  # both sides are exercised


@pytest.mark.parametrize("kind", [BallotType.CUMULATIVE, BallotType.RANKED])
def test_other_ballot_types_always_take_the_form(budget: Budget, city_envelope: Envelope, kind: str) -> None:
    budget.ballot_type = kind
    projects = list(ballots.ballot_projects(city_envelope))
    data = _posted([str(projects[0].pk)])
    data[f"points_{projects[0].pk}"] = data[f"rang_{projects[0].pk}"] = "1"
    assert valid_checkbox_choices(budget, city_envelope, projects, data) is None


def test_a_refusal_of_the_service_on_the_quick_path_shows_the_form_with_its_message(
    budget: Budget,
    city_envelope: Envelope,
    voter: User,
    client_for: Callable[[User | None], Client],
) -> None:
    url = reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": city_envelope.pk})
    a = ballots.ballot_projects(city_envelope)[0].pk
    refusal = ValidationError("Refus du service (test).")
    with mock.patch.object(services, "ballot_cast", side_effect=refusal) as cast:
        page = client_for(voter).post(url, {"action": "confirm", "projets": [a]})
    assert cast.call_count == 1  # cast once, never again through the form
    assert page.status_code == 400
    content = page.content.decode()
    assert "Refus du service (test)." in content
    assert re.search(rf'value="{a}"[^>]*checked', content)  # the ticked box stays ticked
    assert not VoterRecord.objects.exists()
