"""Questionnaires entered by others: paper forms typed twice by two agents (contested questions
settled by a third entry), a site's facilitator entering the tables of a multi-site session;
results with small cells suppressed, cross-tabs and sites side by side; the streamed export;
the back office that creates a questionnaire and its questions."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from apps.accounts.models import User
from apps.consultations.models import PaperForm, Question, Questionnaire, Response, Site, SiteFacilitator
from apps.consultations.questionnaires import results, services
from apps.consultations.questionnaires.answers import parse
from apps.consultations.questionnaires.sample import sample_answers
from apps.core.models import ParticipationEvent, Territory
from tests.conftest import Personas, body_of
from tests.consultations.test_questionnaires import make_questionnaire
from tests.factories import UserFactory


def _text(response: Any) -> str:
    return html.unescape(body_of(response).decode()).replace("\xa0", " ").replace("\u202f", " ")


def _form(data: dict[str, Any]) -> MultiValueDict[str, Any]:
    return MultiValueDict({key: value if isinstance(value, list) else [value] for key, value in data.items()})


@pytest.mark.django_db
def test_paper_double_entry(quartier: Territory, personas: Personas) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    agent = personas["agent"]
    assert agent is not None
    second = UserFactory.create()
    third = UserFactory.create()
    for person in (second, third):
        from apps.core.models import Role, RoleAssignment

        RoleAssignment.objects.create(user=person, role=Role.AGENT, territory=quartier)
    data = {**sample_answers(questions, 1), "quartier": str(quartier.pk), "age_band": "60-74"}
    form = services.paper_entry(agent=agent, questionnaire=questionnaire, number="12", data=_form(data))
    assert form.state == PaperForm.State.FIRST_ENTRY and Response.objects.count() == 0
    with pytest.raises(ValidationError, match="une autre personne doit le saisir"):
        services.paper_entry(agent=agent, questionnaire=questionnaire, number="12", data=_form(data))
    form = services.paper_entry(agent=second, questionnaire=questionnaire, number="12", data=_form(data))
    assert form.state == PaperForm.State.CONFIRMED
    response = Response.objects.get()
    assert response.channel == "paper" and response.age_band == "60-74" and response.territory == quartier
    assert ParticipationEvent.objects.get(kind="questionnaire_answer").channel == "paper"
    with pytest.raises(ValidationError, match="déjà compté"):
        services.paper_entry(agent=third, questionnaire=questionnaire, number="12", data=_form(data))
    # Two different entries: the contested question is named; a third agent settles it.
    services.paper_entry(agent=agent, questionnaire=questionnaire, number="13", data=_form(data))
    other = {**data, questions[3].field_name: "5"}
    form = services.paper_entry(agent=second, questionnaire=questionnaire, number="13", data=_form(other))
    assert form.state == PaperForm.State.DISPUTED and form.contested == [str(questions[3].pk)]
    assert Response.objects.count() == 1
    with pytest.raises(ValidationError):
        services.paper_entry(agent=agent, questionnaire=questionnaire, number="13", data=_form(data))
    form = services.paper_entry(agent=third, questionnaire=questionnaire, number="13", data=_form(other))
    assert form.state == PaperForm.State.CONFIRMED
    assert Response.objects.filter(channel="paper").count() == 2
    resident = personas["resident"]
    assert resident is not None
    with pytest.raises(PermissionDenied):
        services.paper_entry(agent=resident, questionnaire=questionnaire, number="14", data=_form(data))


@pytest.mark.django_db
def test_paper_page_keeps_what_was_typed(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    client = client_for(personas["agent"])
    url = reverse("consultations_admin:paper", args=[questionnaire.pk])
    data = {**sample_answers(questions, 2), "number": "", "age_band": "30-44"}
    response = client.post(url, data)
    assert response.status_code == 400
    page = _text(response)
    assert "Indiquez le numéro écrit sur le questionnaire papier." in page
    assert '<option value="30-44" selected>' in page
    data["number"] = "A-1"
    assert client.post(url, data).status_code == 302
    assert PaperForm.objects.get().number == "A-1"


@pytest.mark.django_db
def test_site_facilitator_enters_only_their_site(
    quartier: Territory, other_quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    mine = Site.objects.create(questionnaire=questionnaire, name="Maison de quartier", territory=quartier)
    theirs = Site.objects.create(questionnaire=questionnaire, name="Médiathèque", territory=other_quartier)
    facilitator = UserFactory.create()
    SiteFacilitator.objects.create(site=mine, user=facilitator)
    client = client_for(facilitator)
    data = {**sample_answers(questions, 0), "table": "3", "age_band": "18-29"}
    assert client.post(reverse("consultations:site_entry", args=[mine.pk]), data).status_code == 302
    assert client.post(reverse("consultations:site_entry", args=[theirs.pk]), data).status_code == 403
    assert client_for(personas["resident"]).get(reverse("consultations:site_entry", args=[mine.pk])).status_code == 403
    response = Response.objects.get()
    assert (response.site, response.table, response.channel) == (mine, "3", "meeting")
    assert ParticipationEvent.objects.get(kind="questionnaire_answer").channel == "meeting"
    bad = client.post(reverse("consultations:site_entry", args=[mine.pk]), {**data, questions[0].field_name: "9"})
    assert bad.status_code == 400 and 'value="3"' in _text(bad)


def _fill(questionnaire: Questionnaire, questions: list[Question], n: int, **profile: Any) -> None:
    for i in range(n):
        found, errors = parse(questions, _form(sample_answers(questions, i)))
        assert not errors
        Response.objects.create(questionnaire=questionnaire, answers=found, **profile)


@pytest.mark.django_db
def test_results_suppress_small_cells_and_compare_sites(quartier: Territory, other_quartier: Territory) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    big = Site.objects.create(questionnaire=questionnaire, name="Grande salle", territory=quartier)
    small = Site.objects.create(questionnaire=questionnaire, name="Petite salle", territory=other_quartier)
    _fill(questionnaire, questions, 33, site=big, territory=quartier, age_band="30-44")
    _fill(questionnaire, questions, 4, site=small, territory=other_quartier, age_band="75+")
    data = results.questionnaire_results(questionnaire)
    assert data["total"] == 37
    first = data["results"][0]
    # 33 + 4 answers to « Fréquentez-vous… » over 3 options: 13/12/12, all shown.
    assert [row[1] for row in first.table] == ["13", "12", "12"]
    by_quartier = first.crosstabs[0]
    rows = dict(by_quartier.rows)
    assert rows[other_quartier.name] == ["< 11"] * 3  # 4 respondents: the whole row hidden
    assert rows[quartier.name] == ["11", "11", "11"]
    site_rows = dict(first.by_site.rows)
    assert site_rows["Nombre de réponses"] == ["33", "< 11", "37"]
    assert site_rows["Oui, chaque semaine"][1] == "< 11"  # no share for a site under 11
    profiles = {profile.site.name: profile for profile in data["sites"]}
    assert profiles["Petite salle"].chart is None
    assert profiles["Grande salle"].rows[2][1] == "100 %"


@pytest.mark.django_db
def test_results_page_rules(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    _fill(questionnaire, questions, 12)
    url = reverse("consultations:questionnaire_results", args=[questionnaire.pk])
    assert client_for(None).get(url).status_code == 403
    page = _text(client_for(personas["agent"]).get(url))
    assert "Nombre de réponses : 12" in page and '<svg class="chart-svg"' in page
    questionnaire.results_public = True
    questionnaire.save()
    assert client_for(None).get(url).status_code == 200


@pytest.mark.django_db
def test_export_is_streamed_and_safe(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    data = sample_answers(questions, 2)
    data[questions[1].field_name] = '=HYPERLINK("http://evil")'
    found, _errors = parse(questions, _form(data))
    Response.objects.create(questionnaire=questionnaire, answers=found, territory=quartier)
    response = client_for(personas["agent"]).get(reverse("consultations_admin:export", args=[questionnaire.pk]))
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0][6] == "1. Fréquentez-vous le parc du quartier ?"
    assert rows[1][4] == quartier.name and rows[1][6] == "Jamais"
    assert rows[1][7] == '\'=HYPERLINK("http://evil")'
    assert (
        client_for(personas["elu"]).get(reverse("consultations_admin:export", args=[questionnaire.pk])).status_code
        == 403
    )


@pytest.mark.django_db
def test_back_office_creates_a_questionnaire_and_its_questions(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    questionnaire, _questions = make_questionnaire(quartier)
    process = questionnaire.process
    client = client_for(personas["agent"])
    response = client.post(
        reverse("consultations_admin:questionnaires"), {"process": process.pk, "title": "Les marchés", "signed": "on"}
    )
    assert response.status_code == 302
    created = Questionnaire.objects.get(title="Les marchés")
    assert created.signed
    url = reverse("consultations_admin:question_add", args=[created.pk])
    bad = client.post(
        url, {"kind": "single", "text": "Quel jour ?", "options_text": "Samedi", "scale_min": 1, "scale_max": 5}
    )
    assert bad.status_code == 400
    assert "Indiquez au moins deux réponses possibles" in _text(bad) and "Quel jour ?" in _text(bad)
    ok = client.post(
        url,
        {
            "kind": "single",
            "text": "Quel jour ?",
            "options_text": "Samedi\nDimanche",
            "scale_min": 1,
            "scale_max": 5,
            "required": "on",
        },
    )
    assert ok.status_code == 302
    first = created.questions.get()
    ok = client.post(
        url,
        {
            "kind": "text",
            "text": "Pourquoi le dimanche ?",
            "scale_min": 1,
            "scale_max": 5,
            "condition_question": first.pk,
            "condition_number": 2,
        },
    )
    assert ok.status_code == 302
    conditional = created.questions.get(position=2)
    assert (conditional.condition_question, conditional.condition_option) == (first, 1)
    site = client.post(
        reverse("consultations_admin:site_add", args=[created.pk]),
        {"name": "Salle Nord", "kind": "room", "facilitator_emails": "inconnu@example.org"},
    )
    assert site.status_code == 400 and "Aucun compte pour : inconnu@example.org" in _text(site)
    resident = personas["resident"]
    assert resident is not None
    site = client.post(
        reverse("consultations_admin:site_add", args=[created.pk]),
        {"name": "Salle Nord", "kind": "room", "territory": quartier.pk, "facilitator_emails": resident.email},
    )
    assert site.status_code == 302
    assert list(Site.objects.get(name="Salle Nord").facilitators.all()) == [resident]
