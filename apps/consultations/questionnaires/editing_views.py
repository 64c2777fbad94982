"""Back-office pages that edit a questionnaire's questions: change one, move it up or down,
delete it, move one of its choices. Plain forms and buttons: no JavaScript needed. A refused
change comes back with the French reason (on the form, or as a message after a button)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.consultations.questionnaires import editing, rules
from apps.consultations.questionnaires.forms import QuestionForm
from apps.consultations.questionnaires.models import Question
from apps.core.backoffice_kit import actor, redirect, render_page, saved, staff_required
from apps.core.rules_kit import require


def _question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(Question.objects.select_related("questionnaire__process__territory"), pk=pk)
    require(rules.can_manage(request.user, question.questionnaire))
    return question


def _back(question: Question) -> str:
    return reverse("consultations_admin:questionnaire", args=[question.questionnaire_id]) + "#questions"


def _edit_url(question: Question) -> str:
    return reverse("consultations_admin:question_edit", args=[question.pk])


@staff_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    form = QuestionForm(request.POST or None, instance=question, questionnaire=question.questionnaire)
    if saved(
        request,
        form,
        lambda: editing.question_update(agent=actor(request), question=form.instance),
        success=_("Question enregistrée."),
    ):
        return redirect(_back(question))
    question = Question.objects.get(pk=pk)  # the choices as stored, not as typed
    context = {
        "questionnaire": question.questionnaire,
        "question": question,
        "form": form,
        "frozen": editing.has_answers(question.questionnaire),
        "choices": list(enumerate(question.options)),
    }
    status = 400 if request.method == "POST" else 200
    return render_page(request, "consultations/questionnaires/backoffice/question_edit.html", context, status=status)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@staff_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    try:
        editing.question_move(agent=actor(request), question=question, up=request.POST.get("direction") == "up")
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Question déplacée."))
    return redirect(_back(question))


@staff_required
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    try:
        editing.question_delete(agent=actor(request), question=question)
    except ValidationError as error:
        _refused(request, error)
        return redirect(_edit_url(question))
    messages.success(request, _("Question supprimée."))
    return redirect(_back(question))


@staff_required
@require_POST
def option_move(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    question = _question(request, pk)
    try:
        editing.option_move(
            agent=actor(request), question=question, index=index, up=request.POST.get("direction") == "up"
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Réponse possible déplacée."))
    return redirect(_edit_url(question) + "#choix")
