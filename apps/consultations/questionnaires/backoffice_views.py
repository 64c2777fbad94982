"""Back-office pages of questionnaires (``/gestion/consultations/``): create a questionnaire, add
its questions and the sites of a multi-site session, type paper forms twice, export the answers.
Each view parses input, asks one rule, calls one service, then renders or redirects."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.consultations.questionnaires import editing, export, rules, services
from apps.consultations.questionnaires.forms import (
    PaperNumberForm,
    QuestionForm,
    QuestionnaireForm,
    QuestionnaireSettingsForm,
    SiteForm,
)
from apps.consultations.questionnaires.models import PaperForm, Questionnaire
from apps.consultations.questionnaires.views import form_context
from apps.core.backoffice_kit import AGENTS, actor, processes_in_scope, redirect, render_page, saved, staff_required
from apps.core.roles import has_role
from apps.core.rules_kit import require


def _questionnaire(request: HttpRequest, pk: int) -> Questionnaire:
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("process__territory"), pk=pk)
    require(rules.can_manage(request.user, questionnaire))
    return questionnaire


@staff_required
@require_http_methods(["GET", "POST"])
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    require(has_role(request.user, AGENTS))
    processes = processes_in_scope(request.user, AGENTS)
    form = QuestionnaireForm(request.POST or None, processes=processes)
    if request.method == "POST" and form.is_valid():
        form.instance.pk = None
        if saved(
            request,
            form,
            lambda: services.questionnaire_save(agent=actor(request), questionnaire=form.instance),
            success=_("Questionnaire créé : ajoutez ses questions."),
        ):
            return redirect(reverse("consultations_admin:questionnaire", args=[form.instance.pk]))
    questionnaires = (
        Questionnaire.objects.filter(process__in=processes)
        .select_related("process")
        .annotate(n_responses=Count("responses", distinct=True), n_questions=Count("questions", distinct=True))
        .order_by("-pk")[:200]
    )
    context = {"form": form, "questionnaires": questionnaires}
    return render_page(
        request, "consultations/questionnaires/backoffice/list.html", context, status=400 if form.errors else 200
    )


def _detail(request: HttpRequest, questionnaire: Questionnaire, status: int = 200, **forms: Any) -> HttpResponse:
    papers = questionnaire.paper_forms.aggregate(
        confirmed=Count("pk", filter=Q(state=PaperForm.State.CONFIRMED)),
        waiting=Count("pk", filter=Q(state=PaperForm.State.FIRST_ENTRY)),
        disputed=Count("pk", filter=Q(state=PaperForm.State.DISPUTED)),
    )
    context = {
        "questionnaire": questionnaire,
        "questions": list(questionnaire.questions.select_related("condition_question")),
        "sites": list(questionnaire.sites.select_related("territory").annotate(n=Count("responses"))),
        "n_responses": questionnaire.responses.count(),
        "frozen": editing.has_answers(questionnaire),
        "papers": papers,
        "settings_form": forms.get("settings_form") or QuestionnaireSettingsForm(instance=questionnaire),
        "question_form": forms.get("question_form") or QuestionForm(questionnaire=questionnaire),
        "site_form": forms.get("site_form") or SiteForm(questionnaire=questionnaire),
    }
    return render_page(request, "consultations/questionnaires/backoffice/detail.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    form = QuestionnaireSettingsForm(request.POST or None, instance=questionnaire)
    if saved(
        request,
        form,
        lambda: services.questionnaire_save(agent=actor(request), questionnaire=form.instance),
        success=_("Questionnaire enregistré."),
    ):
        return redirect(reverse("consultations_admin:questionnaire", args=[pk]))
    if request.method == "POST":
        questionnaire.refresh_from_db()
        return _detail(request, questionnaire, status=400, settings_form=form)
    return _detail(request, questionnaire)


@staff_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    form = QuestionForm(request.POST, questionnaire=questionnaire)
    if saved(
        request,
        form,
        lambda: services.question_add(agent=actor(request), question=form.instance),
        success=_("Question ajoutée."),
    ):
        return redirect(reverse("consultations_admin:questionnaire", args=[pk]) + "#questions")
    return _detail(request, questionnaire, status=400, question_form=form)


@staff_required
@require_POST
def site_add(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    form = SiteForm(request.POST, questionnaire=questionnaire)
    if saved(
        request,
        form,
        lambda: services.site_add(
            agent=actor(request), site=form.instance, facilitators=form.cleaned_data["facilitator_emails"]
        ),
        success=_("Site ajouté."),
    ):
        return redirect(reverse("consultations_admin:questionnaire", args=[pk]) + "#sites")
    return _detail(request, questionnaire, status=400, site_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    number_form = PaperNumberForm(request.POST or None)
    errors: dict[str, str] = {}
    data: Any = None
    if request.method == "POST":
        data = request.POST
        try:
            if not number_form.is_valid():
                raise ValidationError({"number": number_form.errors["number"][0]})
            form = services.paper_entry(
                agent=actor(request),
                questionnaire=questionnaire,
                number=number_form.cleaned_data["number"],
                data=request.POST,
            )
        except ValidationError as error:
            errors = (
                {name: " ".join(texts) for name, texts in error.message_dict.items()}
                if hasattr(error, "error_dict")
                else {"__all__": " ".join(error.messages)}
            )
        except PermissionDenied:
            raise
        else:
            from django.contrib import messages

            messages.success(request, _paper_message(form))
            return redirect(reverse("consultations_admin:paper", args=[pk]))
    disputed = list(questionnaire.paper_forms.filter(state=PaperForm.State.DISPUTED).order_by("number")[:100])
    questions = {str(question.pk): question for question in questionnaire.questions.all()}
    context = {
        "questionnaire": questionnaire,
        "disputed": [(form, [_contested_label(key, questions) for key in form.contested]) for form in disputed],
        "waiting": questionnaire.paper_forms.filter(state=PaperForm.State.FIRST_ENTRY).count(),
        "number_value": (data or {}).get("number", ""),
        **form_context(questionnaire, data, errors, profile=True),
    }
    return render_page(
        request, "consultations/questionnaires/backoffice/paper.html", context, status=400 if errors else 200
    )


def _contested_label(key: str, questions: dict[str, Any]) -> str:
    if key == "quartier":
        return _("quartier")
    if key == "age_band":
        return _("tranche d'âge")
    question = questions.get(key)
    return str(question.text) if question is not None else key


def _paper_message(form: PaperForm) -> str:
    if form.state == PaperForm.State.CONFIRMED:
        return _("Questionnaire n° %(number)s compté : les deux saisies concordent.") % {"number": form.number}
    if form.state == PaperForm.State.DISPUTED:
        return _(
            "Questionnaire n° %(number)s : les deux saisies diffèrent. Une autre personne que la première "
            "doit relire le papier et le saisir à nouveau."
        ) % {"number": form.number}
    return _(
        "Première saisie du questionnaire n° %(number)s enregistrée : une autre personne doit le saisir à son tour."
    ) % {"number": form.number}


@staff_required
@require_GET
def answers_export(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    response = StreamingHttpResponse(export.csv_lines(questionnaire), content_type="text/csv; charset=utf-8")
    filename = slugify(questionnaire.title)[:60] or "questionnaire"
    response["Content-Disposition"] = f'attachment; filename="reponses-{filename}.csv"'
    # ``staff_required`` is typed for HttpResponse; Django serves both the same way.
    return cast("HttpResponse", response)
