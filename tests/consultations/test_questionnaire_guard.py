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
