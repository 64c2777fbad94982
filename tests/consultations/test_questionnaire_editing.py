"""Editing questions: before any answer, change, move (buttons, no JavaScript), delete, reorder
choices, with conditions kept consistent; once answers exist, typos only, structural changes
refused in French; an edit and answers in parallel never leave an answer to a deleted question."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from apps.accounts.models import User
from apps.consultations.models import Question, Questionnaire, Response
from apps.consultations.questionnaires import editing, services
from apps.consultations.questionnaires.sample import sample_answers
from apps.core.models import Territory
from tests.conftest import Personas, body_of
from tests.consultations.test_questionnaires import make_questionnaire


def _text(response: Any) -> str:
    return html.unescape(body_of(response).decode()).replace("\xa0", " ").replace("\u202f", " ")


def _form(data: dict[str, Any]) -> MultiValueDict[str, Any]:
    return MultiValueDict({key: value if isinstance(value, list) else [value] for key, value in data.items()})


def _edit_data(question: Question, **changes: Any) -> dict[str, Any]:
    data = {
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "options_text": "\n".join(question.options),
        "rows_text": "\n".join(question.rows),
    }
    if question.required:
        data["required"] = "on"
    if question.condition_question_id:
        data["condition_question"] = question.condition_question_id
        data["condition_number"] = (question.condition_option or 0) + 1
    data.update(changes)
    return data


def _order(questionnaire: Questionnaire) -> list[int]:
    return list(questionnaire.questions.values_list("pk", flat=True))


@pytest.mark.django_db
def test_before_answers_everything_changes_and_conditions_follow(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    single, conditional, multiple = questions[:3]
    client = client_for(personas["agent"])
    edit = reverse("consultations_admin:question_edit", args=[single.pk])
    page = _text(client.get(edit))
    assert 'Monter<span class="visually-hidden"> « Jamais »</span>' in page and "Supprimer cette question" in page
    # « Jamais » (the conditional question's trigger) moves up: the condition follows it.
    move = reverse("consultations_admin:option_move", args=[single.pk, 2])
    assert client.post(move, {"direction": "up"}).status_code == 302
    single.refresh_from_db()
    conditional.refresh_from_db()
    assert single.options == ["Oui, chaque semaine", "Jamais", "Parfois"]
    assert conditional.condition_option == 1
    # Renamed and reordered in the text area: still followed by its label.
    renamed = _edit_data(single, options_text="Jamais\nOui, chaque semaine\nParfois\nSouvent")
    assert client.post(edit, renamed).status_code == 302
    conditional.refresh_from_db()
    assert conditional.condition_option == 0
    # Removing the trigger is refused, what was typed is kept.
    removed = _edit_data(Question.objects.get(pk=single.pk), options_text="Oui\nParfois")
    refused = client.post(edit, removed)
    assert refused.status_code == 400
    assert "La question n° 2 n'est posée que si l'on répond « Jamais »" in _text(refused)
    assert "Oui\nParfois</textarea>" in _text(refused)
    # Deleting a question another depends on is refused; its dependent can go.
    delete = reverse("consultations_admin:question_delete", args=[single.pk])
    assert client.post(delete).status_code == 302
    assert "La question n° 2 n'est posée que selon la réponse à celle-ci" in _text(client.get(edit))
    assert Question.objects.filter(pk=single.pk).exists()
    # Moving: a dependent never goes above its condition; others move freely.
    up = reverse("consultations_admin:question_move", args=[conditional.pk])
    client.post(up, {"direction": "up"})
    assert _order(questionnaire)[:2] == [single.pk, conditional.pk]
    assert "doit rester après" in _text(
        client.get(reverse("consultations_admin:questionnaire", args=[questionnaire.pk]))
    )
    down = reverse("consultations_admin:question_move", args=[multiple.pk])
    assert client.post(down, {"direction": "down"}).status_code == 302
    assert _order(questionnaire)[2:4] == [questions[3].pk, multiple.pk]
    assert client.post(reverse("consultations_admin:question_delete", args=[conditional.pk])).status_code == 302
    assert not Question.objects.filter(pk=conditional.pk).exists()
    # Another agency's agent cannot edit.
    assert client_for(personas["resident"]).post(edit, renamed).status_code in {302, 403}
    assert Question.objects.get(pk=single.pk).options[0] == "Jamais"


@pytest.mark.django_db
def test_once_answered_only_typos(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    single = questions[0]
    services.response_submit(questionnaire=questionnaire, person=None, data=_form(sample_answers(questions, 1)))
    client = client_for(personas["agent"])
    edit = reverse("consultations_admin:question_edit", args=[single.pk])
    page = _text(client.get(edit))
    assert "seules les corrections de forme" in page and "Supprimer cette question" not in page
    typo = _edit_data(
        single, text="Fréquentez-vous le parc du quartier ?", options_text="Oui, chaque semaine\nParfois\nJamais !"
    )
    assert client.post(edit, typo).status_code == 302
    single.refresh_from_db()
    assert single.options[2] == "Jamais !"
    for changes, message in [
        ({"text": "Voulez-vous un nouveau stade ?"}, "sans en changer le sens"),
        ({"options_text": "Oui, chaque semaine\nParfois\nJamais !\nSouvent"}, "on ne peut plus ajouter"),
        (
            {"options_text": "Oui, chaque semaine\nParfois\nTous les jours"},
            "une réponse ne peut pas en devenir une autre",
        ),
        ({"kind": "multiple"}, "le type, l'échelle"),
    ]:
        refused = client.post(edit, _edit_data(single, **changes))
        assert refused.status_code == 400 and message in _text(refused), changes
    single.refresh_from_db()
    assert (single.kind, len(single.options)) == ("single", 3)
    agent = personas["agent"]
    assert agent is not None
    for refused_call in (
        lambda: editing.question_move(agent=agent, question=questions[3], up=True),
        lambda: editing.question_delete(agent=agent, question=questions[5]),
        lambda: editing.option_move(agent=agent, question=single, index=0, up=False),
    ):
        with pytest.raises(ValidationError, match="Des réponses existent déjà"):
            refused_call()
    settings = client.post(
        reverse("consultations_admin:questionnaire", args=[questionnaire.pk]),
        {"title": questionnaire.title, "signed": "on"},
    )
    assert settings.status_code == 400 and "ne peut plus passer de réponses anonymes" in _text(settings)
    assert Question.objects.filter(questionnaire=questionnaire).count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_deletion_racing_answers_never_leaves_an_answer_to_a_deleted_question(
    quartier: Territory, personas: Personas
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    questionnaire, questions = make_questionnaire(quartier)
    agent = personas["agent"]
    assert agent is not None
    doomed = questions[5]  # the matrix, required: every answer before the deletion has it
    barrier = threading.Barrier(16)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def answer(variant: int) -> None:
        try:
            barrier.wait(timeout=180)
            services.response_submit(
                questionnaire=questionnaire, person=None, data=_form(sample_answers(questions, variant))
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def delete() -> None:
        try:
            barrier.wait(timeout=180)
            editing.question_delete(agent=agent, question=doomed)
            outcomes.append("deleted")
        except ValidationError:
            outcomes.append("refused")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(15)]
    threads.append(threading.Thread(target=delete))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == [] and len(outcomes) == 1
    stored = list(Response.objects.filter(questionnaire=questionnaire).values_list("answers", flat=True))
    assert len(stored) == 15
    with_doomed = [answers for answers in stored if str(doomed.pk) in answers]
    if outcomes == ["deleted"]:
        assert with_doomed == []  # every answer was read against the questions without it
    else:
        assert Question.objects.filter(pk=doomed.pk).exists() and len(with_doomed) == 15
