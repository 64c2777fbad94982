"""A multi-site session's table totals: one form per table, totals never above the table's
headcount (nor, for a conditional question, above those concerned), typed twice like paper
(confirmed, or disputed then settled), counted under their site with channel « meeting »; ten
people entering the same table at once create one row and count it once."""

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
from apps.consultations.models import PaperForm, Question, Site, SiteFacilitator, TableTotals
from apps.consultations.questionnaires import aggregates, editing, results, tables
from apps.core.models import ParticipationEvent, Territory
from tests.conftest import Personas, body_of
from tests.consultations.test_questionnaires import make_questionnaire
from tests.factories import UserFactory


def _text(response: Any) -> str:
    return html.unescape(body_of(response).decode()).replace("\xa0", " ").replace("\u202f", " ")


def _form(data: dict[str, Any]) -> MultiValueDict[str, Any]:
    return MultiValueDict({key: value if isinstance(value, list) else [value] for key, value in data.items()})


def _session(quartier: Territory) -> tuple[Any, list[Question], Site, User, User]:
    questionnaire, questions = make_questionnaire(quartier)
    site = Site.objects.create(questionnaire=questionnaire, name="Maison de quartier", territory=quartier)
    first, second = UserFactory.create(), UserFactory.create()
    for person in (first, second):
        SiteFacilitator.objects.create(site=site, user=person)
    return questionnaire, questions, site, first, second


def _sheet(questions: list[Question], **changes: str) -> dict[str, str]:
    single, _text_q, multiple, scale, _ranking, matrix = questions[:6]
    data = {
        "table": "3",
        "headcount": "8",
        f"t{single.pk}_0": "5",
        f"t{single.pk}_1": "3",
        f"t{multiple.pk}_n": "6",
        f"t{multiple.pk}_0": "6",
        f"t{multiple.pk}_2": "2",
        f"t{scale.pk}_4": "8",
        f"t{matrix.pk}_0_0": "4",
        f"t{matrix.pk}_0_1": "4",
        f"t{matrix.pk}_1_2": "7",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_table_typed_twice_counts_under_its_site(
    quartier: Territory, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, questions, site, first, second = _session(quartier)
    single, _text_q, multiple, scale, _ranking, matrix = questions
    url = reverse("consultations:site_tables", args=[site.pk])
    client = client_for(first)
    page = _text(client.get(url))
    assert "Nombre de participant·es de la table" in page and "Personnes ayant répondu" in page
    assert client.post(url, _sheet(questions)).status_code == 302
    totals = TableTotals.objects.get()
    assert totals.state == PaperForm.State.FIRST_ENTRY
    assert aggregates.aggregate(questionnaire.pk)["profile"] == []  # not counted yet
    again = client.post(url, _sheet(questions))
    assert again.status_code == 400 and "une autre personne (animateur·rice du site ou agent)" in _text(again)
    assert client_for(second).post(url, _sheet(questions)).status_code == 302
    totals.refresh_from_db()
    assert totals.state == PaperForm.State.CONFIRMED and totals.headcount == 8
    events = ParticipationEvent.objects.filter(module="consultations", kind="questionnaire_answer")
    assert events.count() == 8 and set(events.values_list("channel", flat=True)) == {"meeting"}
    data = aggregates.aggregate(questionnaire.pk)
    assert data["profile"] == [[None, "", site.pk, 8]]
    tallies, profile = results.tally(questions, data["answers"], data["profile"])
    assert tallies[single.pk].answered == 8 and tallies[single.pk].by_site[site.pk][0] == 5
    assert tallies[multiple.pk].answered == 6 and tallies[multiple.pk].counts[2] == 2
    assert tallies[scale.pk].counts[4] == 8  # eight people gave 4 on the scale of 1 to 5
    assert tallies[matrix.pk].counts[(1, 2)] == 7 and tallies[matrix.pk].answered == 8
    assert profile[("site", site.pk)] == 8
    # A questionnaire with counted tables is answered: its questions no longer change.
    assert editing.has_answers(questionnaire)


@pytest.mark.django_db
def test_totals_never_exceed_the_table(quartier: Territory, client_for: Callable[[User | None], Client]) -> None:
    _questionnaire, questions, site, first, _second = _session(quartier)
    single, _text_q, multiple, _scale, _ranking, matrix = questions
    follow_up = Question.objects.create(
        questionnaire=single.questionnaire,
        position=7,
        kind=Question.Kind.SINGLE,
        text="Pourquoi jamais ?",
        options=["Trop loin", "Pas sûr"],
        condition_question=single,
        condition_option=2,
    )
    questions = [*questions, follow_up]
    url = reverse("consultations:site_tables", args=[site.pk])
    client = client_for(first)
    cases = [
        ({f"t{single.pk}_1": "4"}, "Le total des réponses (9) dépasse le nombre de participant·es de la table (8)."),
        ({f"t{multiple.pk}_0": "7"}, "plus de personnes qu'il n'y a de répondant·es (6)"),
        ({f"t{matrix.pk}_1_0": "2"}, "Le total des réponses (9) dépasse"),
        (
            {f"t{follow_up.pk}_0": "1"},
            "dépasse le nombre de personnes concernées par la condition (0)",
        ),
        ({"headcount": "0"}, "Indiquez le nombre de participant·es de la table (de 1 à 100)."),
        ({f"t{single.pk}_0": "cinq"}, "Indiquez des nombres entiers, 0 si personne."),
    ]
    for changes, message in cases:
        refused = client.post(url, _sheet(questions, **changes))
        assert refused.status_code == 400, changes
        page = _text(refused)
        assert message in page, changes
        assert f'name="t{single.pk}_0" id="id_t{single.pk}_0" value="' in page  # what was typed stays
    assert TableTotals.objects.count() == 0
    # Within the condition's count it passes: 2 said « Jamais », 2 said why.
    fine = _sheet(questions, **{f"t{single.pk}_1": "1", f"t{single.pk}_2": "2", f"t{follow_up.pk}_1": "2"})
    assert client.post(url, fine).status_code == 302


@pytest.mark.django_db
def test_different_entries_are_disputed_then_settled(quartier: Territory, personas: Personas) -> None:
    _questionnaire, questions, site, first, second = _session(quartier)
    single = questions[0]
    agent = personas["agent"]
    assert agent is not None
    tables.table_totals_entry(person=first, site=site, data=_form(_sheet(questions)))
    other = _sheet(questions, **{f"t{single.pk}_1": "2"})
    totals = tables.table_totals_entry(person=second, site=site, data=_form(other))
    assert totals.state == PaperForm.State.DISPUTED and totals.contested == [str(single.pk)]
    with pytest.raises(ValidationError, match="première saisie"):
        tables.table_totals_entry(person=first, site=site, data=_form(_sheet(questions)))
    totals = tables.table_totals_entry(person=agent, site=site, data=_form(other))
    assert totals.state == PaperForm.State.CONFIRMED and totals.headcount == 8
    assert totals.second_entry is not None and totals.second_entry["counts"][str(single.pk)]["1"] == 2
    stranger = UserFactory.create()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        tables.table_totals_entry(person=stranger, site=site, data=_form(_sheet(questions, table="4")))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_people_entering_one_table_at_once_count_it_once(quartier: Territory) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    _questionnaire, questions, site, first, second = _session(quartier)
    people = [first, second] + [UserFactory.create() for _i in range(8)]
    for person in people[2:]:
        SiteFacilitator.objects.create(site=site, user=person)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def enter(person: User) -> None:
        try:
            barrier.wait(timeout=180)
            outcomes.append(tables.table_totals_entry(person=person, site=site, data=_form(_sheet(questions))).state)
        except ValidationError:
            outcomes.append("refused")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enter, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == [] and len(outcomes) == len(people)
    # One first entry; at most one confirmation; the others are told to try again or that it counts.
    assert outcomes.count("first_entry") == 1 and outcomes.count("confirmed") <= 1
    totals = TableTotals.objects.get()
    events = ParticipationEvent.objects.filter(module="consultations")
    assert events.count() == 8 * outcomes.count("confirmed")
    if totals.state != PaperForm.State.CONFIRMED:
        confirmer = next(person for person in people if person.pk != totals.first_by_id)
        tables.table_totals_entry(person=confirmer, site=site, data=_form(_sheet(questions)))
    assert events.count() == 8
