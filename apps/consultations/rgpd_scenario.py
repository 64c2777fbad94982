"""The consultations rows of the RGPD completeness test's person (tests/accounts): a statement
she wrote, a vote, her place on a stored map, a signed questionnaire answer, a site she
facilitates, a paper form and a table's totals she typed. Imported by that test only."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.consultations.models import (
    Conversation,
    OpinionMapSnapshot,
    PaperForm,
    Question,
    Questionnaire,
    Response,
    Site,
    SiteFacilitator,
    Statement,
    TableTotals,
    Vote,
)
from apps.core.models import Process, Territory


def build(person: Any) -> None:
    process = Process.objects.create(
        title="Conversation RGPD",
        slug="conversation-rgpd",
        is_published=True,
        territory=Territory.objects.order_by("pk")[0],
        answer_due=timezone.localdate() + datetime.timedelta(days=60),
    )
    conversation = Conversation.objects.create(process=process, question="Que pensez-vous de la place ?")
    statement = Statement.objects.create(conversation=conversation, author=person, text="Plus de bancs, merci.")
    Vote.objects.create(statement=statement, participant=person, value=Vote.Value.AGREE)
    OpinionMapSnapshot.objects.create(
        conversation=conversation,
        data={"groups": [], "positions": {str(person.pk): [0.1, 0.2, 0]}},
        state={"version": 1, "placed": [person.pk], "base_centers": [[0.1, 0.2]]},
    )
    questionnaire = Questionnaire.objects.create(process=process, title="Questionnaire RGPD", signed=True)
    question = Question.objects.create(
        questionnaire=questionnaire, position=1, kind=Question.Kind.SINGLE, text="Oui ?", options=["Oui", "Non"]
    )
    Response.objects.create(questionnaire=questionnaire, respondent=person, answers={str(question.pk): 0})
    site = Site.objects.create(questionnaire=questionnaire, name="Salle des fêtes")
    SiteFacilitator.objects.create(site=site, user=person)
    PaperForm.objects.create(questionnaire=questionnaire, number="1", first_by=person)
    colleague = type(person).objects.create_user("collegue-rgpd@example.org", "x", display_name="Collègue")
    PaperForm.objects.create(questionnaire=questionnaire, number="2", first_by=colleague, second_by=person)
    # A table's totals she typed first, and another's she typed again.
    TableTotals.objects.create(site=site, table="1", first_by=person)
    TableTotals.objects.create(site=site, table="2", first_by=colleague, second_by=person)
