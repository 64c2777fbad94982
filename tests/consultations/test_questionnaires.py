"""Questionnaires: every question type read from a form, conditions, anonymous and signed
answers (one per person, even under 50 parallel requests), answering without JavaScript with
errors that keep what was typed, participation events."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils.datastructures import MultiValueDict

from apps.accounts.models import User
from apps.consultations.models import Question, Questionnaire, Response
from apps.consultations.questionnaires import answers as parsing
from apps.consultations.questionnaires.sample import add_sample_questions, sample_answers
from apps.core.models import ParticipationEvent, Territory
from tests.conftest import body_of, make_process_in_phase
from tests.factories import UserFactory


def _text(response: Any) -> str:
    return html.unescape(body_of(response).decode()).replace("\xa0", " ").replace("\u202f", " ")


def make_questionnaire(
    quartier: Territory, *, phase: str = "questionnaire", **extra: Any
) -> tuple[Questionnaire, list[Question]]:
    process = make_process_in_phase(phase, territory=quartier, module="consultations")
    questionnaire = Questionnaire.objects.create(process=process, title="Le parc du quartier", **extra)
    return questionnaire, add_sample_questions(questionnaire)


def _form(data: dict[str, Any]) -> MultiValueDict[str, Any]:
    return MultiValueDict({key: value if isinstance(value, list) else [value] for key, value in data.items()})


@pytest.mark.django_db
def test_every_question_type_is_read_and_conditions_drop_answers(quartier: Territory) -> None:
    _questionnaire, questions = make_questionnaire(quartier)
    single, text, multiple, scale, ranking, matrix = questions
    data = sample_answers(questions, 0)  # « Oui, chaque semaine »: the text question does not apply
    data[text.field_name] = "Réponse qui ne devrait pas compter"
    found, errors = parsing.parse(questions, _form(data))
    assert errors == {}
    assert found[str(single.pk)] == 0
    assert str(text.pk) not in found
    assert found[str(multiple.pk)] == [0, 1]
    assert found[str(scale.pk)] == 1
    assert found[str(ranking.pk)] == [0, 1, 2]
    assert found[str(matrix.pk)] == {"0": 0, "1": 1}
    data = sample_answers(questions, 2)  # « Jamais »: the text question applies
    found, errors = parsing.parse(questions, _form(data))
    assert found[str(text.pk)] == "Il n'y a pas assez d'éclairage."
    assert found[str(ranking.pk)] == [2, 0, 1]


@pytest.mark.django_db
def test_bad_answers_get_french_errors(quartier: Territory) -> None:
    _questionnaire, questions = make_questionnaire(quartier)
    single, _text_q, multiple, scale, ranking, matrix = questions
    data = sample_answers(questions, 1)
    data[single.field_name] = "7"
    data[scale.field_name] = "9"
    data[f"{ranking.field_name}_0"] = "1"
    data[f"{ranking.field_name}_1"] = "1"
    data[multiple.field_name] = ["0", "x"]
    del data[f"{matrix.field_name}_1"]
    _found, errors = parsing.parse(questions, _form(data))
    assert errors[single.field_name] == "Choisissez une des réponses proposées."
    assert errors[scale.field_name] == "Choisissez une note entre 1 et 5."
    assert "rang différent" in errors[ranking.field_name]
    assert errors[multiple.field_name] == "Choisissez parmi les réponses proposées."
    assert errors[matrix.field_name] == "Répondez sur chaque ligne du tableau."
    _found, errors = parsing.parse(questions, _form({}))
    assert errors[single.field_name] == "Cette question attend une réponse."
    # The conditional question is not required when its condition is not met.
    assert questions[1].field_name not in errors


@pytest.mark.django_db
def test_anonymous_answer_without_javascript(quartier: Territory, client_for: Callable[[User | None], Client]) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    client = client_for(None)
    page = _text(client.get(questionnaire.get_absolute_url()))
    assert "Seulement si vous avez répondu « Jamais » à la question 1." in page
    assert 'type="radio"' in page and "<select" in page and "<textarea" in page
    data = sample_answers(questions, 2)
    data["quartier"] = str(quartier.pk)
    data["age_band"] = "30-44"
    response = client.post(questionnaire.get_absolute_url(), data)
    assert response.status_code == 302
    stored = Response.objects.get(questionnaire=questionnaire)
    assert stored.respondent is None and stored.territory == quartier and stored.age_band == "30-44"
    event = ParticipationEvent.objects.get(module="consultations", kind="questionnaire_answer")
    assert event.person is None and event.territory == quartier and event.age_band == "30-44"
    assert event.channel == "online"


@pytest.mark.django_db
def test_an_error_keeps_everything_typed(quartier: Territory, client_for: Callable[[User | None], Client]) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    data = sample_answers(questions, 2)
    data[questions[3].field_name] = "42"  # out of the scale
    response = client_for(None).post(questionnaire.get_absolute_url(), data)
    assert response.status_code == 400
    page = _text(response)
    assert "Choisissez une note entre 1 et 5." in page
    assert "Vos réponses sont conservées" in page
    assert "Il n'y a pas assez d'éclairage.</textarea>" in page
    assert f'name="{questions[0].field_name}" value="2" id="id_{questions[0].field_name}_2" checked' in page
    assert '<option value="1" selected>1</option>' in page  # a rank kept
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_signed_questionnaire_one_answer_per_person(
    quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, questions = make_questionnaire(quartier, signed=True)
    anonymous = _text(client_for(None).get(questionnaire.get_absolute_url()))
    assert "Connectez-vous pour répondre" in anonymous
    assert client_for(None).post(questionnaire.get_absolute_url(), sample_answers(questions, 1)).status_code == 403
    person = UserFactory.create(home_territory=quartier)
    client = client_for(person)
    assert client.post(questionnaire.get_absolute_url(), sample_answers(questions, 1)).status_code == 302
    again = client.post(questionnaire.get_absolute_url(), sample_answers(questions, 0))
    assert again.status_code == 400
    assert "Vous avez déjà répondu à ce questionnaire" in _text(again)
    assert Response.objects.get().respondent == person
    assert "Vous avez déjà répondu" in _text(client.get(questionnaire.get_absolute_url()))


@pytest.mark.django_db
def test_closed_questionnaire_refuses_answers(quartier: Territory, client_for: Callable[[User | None], Client]) -> None:
    questionnaire, questions = make_questionnaire(quartier, phase="results")
    client = client_for(None)
    assert "n'est pas ouvert aux réponses" in _text(client.get(questionnaire.get_absolute_url()))
    assert client.post(questionnaire.get_absolute_url(), sample_answers(questions, 1)).status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_50_parallel_requests_of_one_person_leave_one_answer(quartier: Territory) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    questionnaire, questions = make_questionnaire(quartier, signed=True)
    person = UserFactory.create(home_territory=quartier)
    url = questionnaire.get_absolute_url()
    clients = []
    for _i in range(50):
        client = Client()
        client.force_login(person)
        clients.append(client)
    barrier = threading.Barrier(50)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def worker(client: Client, variant: int) -> None:
        try:
            barrier.wait(timeout=180)  # the machine is shared: starting 50 threads can be slow
            statuses.append(client.post(url, sample_answers(questions, variant)).status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(client, i)) for i, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == []
    assert sorted(set(statuses)) == [302, 400]
    assert statuses.count(302) == 1
    assert Response.objects.filter(questionnaire=questionnaire, respondent=person).count() == 1
    assert ParticipationEvent.objects.filter(kind="questionnaire_answer").count() == 1
