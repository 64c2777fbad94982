"""The anonymous questionnaires' guard against answering twice: a signed cookie (the same token
for every browser, so it names nobody) refuses a second answer from the same browser, and the
answers from one address are limited; signed questionnaires keep the database's rule instead."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.consultations.models import Response
from apps.consultations.questionnaires import duplicates
from apps.consultations.questionnaires.sample import sample_answers
from apps.core.models import Territory
from tests.conftest import body_of
from tests.consultations.test_questionnaires import make_questionnaire
from tests.factories import UserFactory


def _text(response: Any) -> str:
    return html.unescape(body_of(response).decode()).replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.django_db
def test_one_browser_answers_once(quartier: Territory, client_for: Callable[[User | None], Client]) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    url = questionnaire.get_absolute_url()
    browser = client_for(None)
    assert "ce navigateur retiendra que vous avez répondu" in _text(browser.get(url))
    first = browser.post(url, sample_answers(questions, 1))
    assert first.status_code == 302
    cookie = first.cookies[f"questionnaire_{questionnaire.pk}"]
    assert cookie["httponly"] and cookie["path"] == url
    again = browser.post(url, sample_answers(questions, 2))
    assert again.status_code == 400
    assert "Ce navigateur a déjà envoyé une réponse à ce questionnaire" in _text(again)
    assert Response.objects.count() == 1
    assert "Ce navigateur a déjà envoyé une réponse" in _text(browser.get(url))
    # Another browser answers; it receives the very same token: the cookie names nobody.
    other = client_for(None).post(url, sample_answers(questions, 2))
    assert other.status_code == 302
    assert other.cookies[cookie.key].value.split(":")[0] == cookie.value.split(":")[0]
    assert Response.objects.count() == 2
    # A forged cookie (not signed with the site's key) is ignored, not trusted.
    forger = client_for(None)
    forger.cookies[cookie.key] = duplicates._token(questionnaire)
    assert forger.post(url, sample_answers(questions, 0)).status_code == 302


@pytest.mark.django_db
def test_answers_from_one_address_are_limited(
    quartier: Territory, client_for: Callable[[User | None], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(duplicates, "RATE", "3/h")
    questionnaire, questions = make_questionnaire(quartier)
    url = questionnaire.get_absolute_url()
    statuses = [client_for(None).post(url, sample_answers(questions, i)).status_code for i in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Response.objects.count() == 3
    # An answer with errors does not use up the address's quota.
    other, _questions = make_questionnaire(quartier)
    bad = [client_for(None).post(other.get_absolute_url(), {}).status_code for _i in range(4)]
    assert bad == [400, 400, 400, 400]


@pytest.mark.django_db
def test_signed_questionnaires_set_no_cookie(quartier: Territory, client_for: Callable[[User | None], Client]) -> None:
    questionnaire, questions = make_questionnaire(quartier, signed=True)
    person = UserFactory.create(home_territory=quartier)
    answered = client_for(person).post(questionnaire.get_absolute_url(), sample_answers(questions, 1))
    assert answered.status_code == 302
    assert f"questionnaire_{questionnaire.pk}" not in answered.cookies


@pytest.mark.django_db
def test_the_next_person_on_a_shared_device_can_answer(
    quartier: Territory, client_for: Callable[[User | None], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library computer or a tablet handed round: the cookie must not turn the next person away.
    They say they are someone else (a link, then a ticked box); what they typed is never lost and
    the address's limit still holds."""
    monkeypatch.setattr(duplicates, "RATE", "3/h")
    questionnaire, questions = make_questionnaire(quartier)
    url = questionnaire.get_absolute_url()
    device = client_for(None)
    assert device.post(url, sample_answers(questions, 1)).status_code == 302
    page = _text(device.get(url))
    assert "Une autre personne utilise cet appareil ?" in page
    assert f'href="?{duplicates.NEXT_PERSON}=1"' in page
    assert 'name="autre_personne"' not in page  # no form until the next person asks
    # The link shows the form with the box ticked.
    handed = _text(device.get(url, {duplicates.NEXT_PERSON: "1"}))
    assert 'name="autre_personne" value="1" id="id_autre_personne" checked' in handed
    assert "Envoyer mes réponses" in handed
    # Sent without the box: refused, the answers typed are still in the form, the box is offered.
    typed = sample_answers(questions, 2)
    refused = device.post(url, typed)
    assert refused.status_code == 400
    refused_page = _text(refused)
    assert "cochez « Je suis une autre personne »" in refused_page
    assert "Il n'y a pas assez d'éclairage." in refused_page
    assert 'name="autre_personne" value="1" id="id_autre_personne">' in refused_page
    assert Response.objects.count() == 1
    # Ticked: accepted, and stored without the box (the answers only).
    accepted = device.post(url, {**typed, duplicates.NEXT_PERSON: "1"})
    assert accepted.status_code == 302
    assert Response.objects.count() == 2
    stored = Response.objects.order_by("pk").values_list("answers", flat=True).last()
    assert stored is not None and set(stored) == {str(question.pk) for question in questions}
    # The address's limit is what holds: the fourth answer from this address is refused.
    assert device.post(url, {**sample_answers(questions, 0), duplicates.NEXT_PERSON: "1"}).status_code == 302
    assert device.post(url, {**sample_answers(questions, 1), duplicates.NEXT_PERSON: "1"}).status_code == 429
    assert Response.objects.count() == 3


@pytest.mark.django_db
def test_the_next_person_box_changes_nothing_for_a_fresh_browser_or_a_signed_questionnaire(
    quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, _questions = make_questionnaire(quartier)
    fresh = _text(client_for(None).get(questionnaire.get_absolute_url(), {duplicates.NEXT_PERSON: "1"}))
    assert 'name="autre_personne"' not in fresh  # the box only appears where the cookie is
    signed, signed_questions = make_questionnaire(quartier, signed=True)
    person = UserFactory.create(home_territory=quartier)
    browser = client_for(person)
    assert browser.post(signed.get_absolute_url(), sample_answers(signed_questions, 1)).status_code == 302
    second = {**sample_answers(signed_questions, 2), duplicates.NEXT_PERSON: "1"}
    again = browser.post(signed.get_absolute_url(), second)
    assert again.status_code == 400  # one answer per account, whatever the box says
    assert Response.objects.filter(questionnaire=signed).count() == 1
