"""Editing a questionnaire's questions and their choices: change, move up or down, delete.

Before any answer (online, paper or a table's totals) everything may change, as long as the
conditions stay consistent: a conditional question stays after the question it depends on, a
question others depend on cannot be deleted, and a choice a condition points at keeps being
pointed at when choices are renamed, reordered or removed (or the change is refused).

Once answers exist they are stored by question and by choice *number*: changing the kind, the
number or order of choices, the scale or the conditions would change what the stored answers
mean. Only corrections of form stay allowed: the wording of a question, its help, the labels of
its choices and rows, each close to what it was (a typo, an accent), never a new meaning.

Every change locks the questionnaire's row (``FOR UPDATE``); answers take a shared lock on it
(``services.lock_for_answers``), so « no answer yet » cannot change under an edit.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from apps.consultations.questionnaires import rules
from apps.consultations.questionnaires.models import Question, Questionnaire, TableTotals
from apps.core.models import audit
from apps.core.rules_kit import require

if TYPE_CHECKING:
    from apps.accounts.models import User

# How close a corrected label must stay to the original once answers exist (difflib's ratio).
TYPO_RATIO = 0.75
_SAFE_FIELDS = ("text", "help_text")
_STRUCTURE = ("kind", "required", "scale_min", "scale_max", "condition_question_id", "condition_option")


def has_answers(questionnaire: Questionnaire) -> bool:
    return (
        questionnaire.responses.exists()
        or questionnaire.paper_forms.exists()
        or TableTotals.objects.filter(site__questionnaire=questionnaire).exists()
    )


def lock_questions(agent: User, questionnaire: Questionnaire) -> bool:
    """Check the agent's right, lock the questionnaire; True when answers exist."""
    require(rules.can_manage(agent, questionnaire))
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    return has_answers(questionnaire)


def frozen_error() -> ValidationError:
    return ValidationError(
        _(
            "Des réponses existent déjà : les questions ne peuvent plus être ajoutées, déplacées ni supprimées, "
            "et leurs réponses possibles ne changent plus, pour que toutes les réponses portent sur les mêmes. "
            "Seules les corrections de forme (fautes de frappe) restent possibles."
        )
    )


def _close(before: str, after: str) -> bool:
    return before == after or SequenceMatcher(None, before.lower(), after.lower()).ratio() >= TYPO_RATIO


def _typo_errors(original: Question, question: Question) -> dict[str, str]:
    errors: dict[str, str] = {}
    if any(getattr(original, name) != getattr(question, name) for name in _STRUCTURE):
        errors["kind"] = _(
            "Des réponses existent déjà : le type, l'échelle, le caractère obligatoire et la condition "
            "de la question ne changent plus."
        )
    if not _close(original.text, question.text) or not _close(original.help_text, question.help_text):
        errors["text"] = _(
            "Des réponses existent déjà : corrigez la formulation (fautes de frappe), sans en changer le sens."
        )
    for name, field in (("options", "options_text"), ("rows", "rows_text")):
        before, after = getattr(original, name), getattr(question, name)
        if len(before) != len(after):
            errors[field] = _(
                "Des réponses existent déjà : on ne peut plus ajouter, retirer ni réordonner de réponses possibles "
                "ou de lignes, seulement corriger leur orthographe."
            )
        elif not all(_close(str(a), str(b)) for a, b in zip(before, after, strict=True)):
            errors[field] = _(
                "Des réponses existent déjà : chaque réponse possible garde sa place et son sens ; "
                "corrigez seulement l'orthographe (une réponse ne peut pas en devenir une autre)."
            )
    return errors


def _number(question: Question) -> int:
    return list(question.questionnaire.questions.values_list("pk", flat=True)).index(question.pk) + 1


def _remap_dependents(original: Question, question: Question) -> None:
    """Before answers: follow the choice each dependent question points at, by its label."""
    dependents = list(original.dependents.all())
    if not dependents:
        return
    if question.kind not in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
        raise ValidationError(
            {
                "kind": _(
                    "La question n° %(number)s dépend de celle-ci : elle doit rester une question à choix."
                    " Modifiez d'abord sa condition."
                )
                % {"number": _number(dependents[0])}
            }
        )
    for dependent in dependents:
        option = dependent.condition_option
        label = original.options[option] if option is not None and option < len(original.options) else None
        if label not in question.options:
            raise ValidationError(
                {
                    "options_text": _(
                        "La question n° %(number)s n'est posée que si l'on répond « %(label)s » : gardez cette "
                        "réponse possible, ou modifiez d'abord la condition de la question n° %(number)s."
                    )
                    % {"number": _number(dependent), "label": label}
                }
            )
        dependent.condition_option = question.options.index(label)
        dependent.save(update_fields=["condition_option"])


def _check_order(question: Question) -> None:
    condition = question.condition_question
    if condition is not None and condition.position >= question.position:
        raise ValidationError(
            {"condition_question": _("La condition porte sur une question à choix posée avant celle-ci.")}
        )


def question_update(*, agent: User, question: Question) -> Question:
    """Save an edited question (``question`` carries the new values, the database the old)."""
    from apps.consultations.questionnaires.services import check_question

    with transaction.atomic():
        frozen = lock_questions(agent, question.questionnaire)
        original = Question.objects.get(pk=question.pk)
        question.position = original.position
        if frozen:
            errors = _typo_errors(original, question)
            if errors:
                raise ValidationError(errors)
        else:
            check_question(question)
            _check_order(question)
            _remap_dependents(original, question)
        question.full_clean()
        question.save()
        audit(agent, "consultations.question_updated", question)
    return question


def question_move(*, agent: User, question: Question, up: bool) -> Question:
    """Swap the question with its neighbour, keeping each condition before its dependents."""
    with transaction.atomic():
        if lock_questions(agent, question.questionnaire):
            raise frozen_error()
        question = Question.objects.select_related("condition_question").get(pk=question.pk)
        siblings = question.questionnaire.questions.all()
        if up:
            neighbour = siblings.filter(position__lt=question.position).order_by("-position").first()
        else:
            neighbour = siblings.filter(position__gt=question.position).order_by("position").first()
        if neighbour is None:
            return question
        earlier, later = (neighbour, question) if up else (question, neighbour)
        if later.condition_question_id == earlier.pk:
            raise ValidationError(
                _("La question « %(later)s » dépend de « %(earlier)s » : elle doit rester après.")
                % {"later": later.text, "earlier": earlier.text}
            )
        # Swap through a free position: (questionnaire, position) is unique.
        mine, theirs = question.position, neighbour.position
        Question.objects.filter(pk=question.pk).update(position=0)
        Question.objects.filter(pk=neighbour.pk).update(position=mine)
        Question.objects.filter(pk=question.pk).update(position=theirs)
        question.position = theirs
        audit(agent, "consultations.question_moved", question, up=up)
    return question


def question_delete(*, agent: User, question: Question) -> None:
    with transaction.atomic():
        if lock_questions(agent, question.questionnaire):
            raise frozen_error()
        dependent = question.dependents.order_by("position").first()
        if dependent is not None:
            raise ValidationError(
                _(
                    "La question n° %(number)s n'est posée que selon la réponse à celle-ci : supprimez-la ou "
                    "modifiez sa condition d'abord."
                )
                % {"number": _number(dependent)}
            )
        audit(agent, "consultations.question_deleted", question.questionnaire, text=question.text)
        question.delete()


def option_move(*, agent: User, question: Question, index: int, up: bool) -> Question:
    """Swap a choice with its neighbour; conditions follow the choice they point at."""
    with transaction.atomic():
        if lock_questions(agent, question.questionnaire):
            raise frozen_error()
        question = Question.objects.get(pk=question.pk)
        other = index - 1 if up else index + 1
        if not (0 <= index < len(question.options) and 0 <= other < len(question.options)):
            return question
        options = list(question.options)
        options[index], options[other] = options[other], options[index]
        original = Question.objects.get(pk=question.pk)
        question.options = options
        _remap_dependents(original, question)
        question.save(update_fields=["options"])
        audit(agent, "consultations.option_moved", question, index=index, up=up)
    return question


def settings_change_allowed(questionnaire: Questionnaire) -> None:
    """Signed or anonymous is structural too: the answers already stored were taken one way."""
    original = Questionnaire.objects.filter(pk=questionnaire.pk).values_list("signed", flat=True).first()
    if original is not None and original != questionnaire.signed and has_answers(questionnaire):
        raise ValidationError(
            {
                "signed": _(
                    "Des réponses existent déjà : le questionnaire ne peut plus passer de réponses anonymes "
                    "à signées, ni l'inverse."
                )
            }
        )


def lock_for_answers(questionnaire: Questionnaire) -> None:
    """A shared lock on the questionnaire for the length of an answer's transaction: edits wait."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM consultations_questionnaire WHERE id = %s FOR SHARE", [questionnaire.pk])
