"""A questionnaire with one question of each type and a conditional one: the demo city's, and
the fixture of the tests, the security matrix and the accessibility screens."""

from __future__ import annotations

from typing import Any

from apps.consultations.questionnaires.models import Question, Questionnaire

SAMPLE_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": Question.Kind.SINGLE,
        "text": "Fréquentez-vous le parc du quartier ?",
        "options": ["Oui, chaque semaine", "Parfois", "Jamais"],
    },
    {
        "kind": Question.Kind.TEXT,
        "text": "Qu'est-ce qui vous empêche d'y aller ?",
        "required": False,
        "condition": (0, 2),  # only if « Jamais » to the first question
    },
    {
        "kind": Question.Kind.MULTIPLE,
        "text": "Qu'aimeriez-vous y trouver ?",
        "options": ["Des jeux pour enfants", "Des bancs à l'ombre", "Un jardin partagé", "Des toilettes"],
    },
    {"kind": Question.Kind.SCALE, "text": "Vous sentez-vous en sécurité dans le parc le soir ?"},
    {
        "kind": Question.Kind.RANKING,
        "text": "Classez ces priorités d'aménagement.",
        "options": ["Éclairage", "Arbres", "Propreté"],
    },
    {
        "kind": Question.Kind.MATRIX,
        "text": "Comment jugez-vous ces équipements ?",
        "options": ["Satisfaisant", "À améliorer", "Je ne sais pas"],
        "rows": ["Les allées", "Les aires de jeux"],
    },
]


def add_sample_questions(questionnaire: Questionnaire) -> list[Question]:
    questions: list[Question] = []
    for position, spec in enumerate(SAMPLE_QUESTIONS, start=1):
        condition = spec.get("condition")
        question = Question.objects.create(
            questionnaire=questionnaire,
            position=position,
            kind=spec["kind"],
            text=spec["text"],
            required=bool(spec.get("required", True)),
            options=list(spec.get("options", [])),
            rows=list(spec.get("rows", [])),
            condition_question=questions[condition[0]] if isinstance(condition, tuple) else None,
            condition_option=condition[1] if isinstance(condition, tuple) else None,
        )
        questions.append(question)
    return questions


def sample_answers(questions: list[Question], variant: int) -> dict[str, object]:
    """Form data of one plausible respondent (``variant`` picks the answers)."""
    single, text, multiple, scale, ranking, matrix = questions
    choice = variant % 3
    data: dict[str, object] = {
        single.field_name: str(choice),
        multiple.field_name: [str(variant % 4), str((variant + 1) % 4)],
        scale.field_name: str(1 + variant % 5),
        f"{matrix.field_name}_0": str(variant % 3),
        f"{matrix.field_name}_1": str((variant + 1) % 3),
    }
    order = [variant % 3, (variant + 1) % 3, (variant + 2) % 3]
    for rank, option in enumerate(order, start=1):
        data[f"{ranking.field_name}_{option}"] = str(rank)
    if choice == 2:
        data[text.field_name] = "Il n'y a pas assez d'éclairage."
    return data
