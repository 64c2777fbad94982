"""Public pages of questionnaires: answering (no JavaScript needed), results, and the entry of
a multi-site session's tables by each site's facilitator."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.accounts.models import User
from apps.consultations.questionnaires import duplicates, rules, services, snapshots, tables
from apps.consultations.questionnaires import results as results_selectors
from apps.consultations.questionnaires.models import PaperForm, Questionnaire, Response, Site, TableTotals
from apps.consultations.questionnaires.presentation import question_views
from apps.core.models import Territory
from apps.core.rules_kit import require

BROWSER_ANSWERED = gettext_lazy(
    "Ce navigateur a déjà envoyé une réponse à ce questionnaire : une seule réponse par personne. "
    "Si vous êtes une autre personne, cochez « Je suis une autre personne » et envoyez à nouveau : "
    "vos réponses sont gardées."
)


def _errors(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {field: " ".join(messages_) for field, messages_ in error.message_dict.items()}
    return {"__all__": " ".join(error.messages)}


def form_context(questionnaire: Questionnaire, data: Any, errors: dict[str, str], *, profile: bool) -> dict[str, Any]:
    questions = list(questionnaire.questions.select_related("condition_question"))
    return {
        "views": question_views(questions, data, errors),
        "errors": errors,
        "values": data or {},
        "profile": profile,
        "quartiers": list(Territory.objects.filter(kind=Territory.Kind.QUARTIER).values_list("pk", "name")),
        "age_bands": [(code, results_selectors.AGE_LABELS[code]) for code in services.AGE_BANDS],
    }


def _questionnaire(pk: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.select_related("process__territory"), pk=pk)


@require_http_methods(["GET", "POST"])
def questionnaire_answer(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(pk)
    require(rules.can_view_questionnaire(request.user, questionnaire))
    user = request.user if request.user.is_authenticated else None
    can_answer = rules.can_answer(request.user, questionnaire)
    already = (
        questionnaire.signed
        and user is not None
        and Response.objects.filter(questionnaire=questionnaire, respondent=user).exists()
    )
    browser_answered = duplicates.already_answered(request, questionnaire)
    # A shared device (a library computer, a tablet handed round at a meeting): the next person
    # says they are someone else, as they would on paper. The address's limit still applies.
    asked = request.POST if request.method == "POST" else request.GET
    next_person = browser_answered and duplicates.NEXT_PERSON in asked
    data: Any = None
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        data = request.POST
        if browser_answered and not next_person:
            errors = {"__all__": str(BROWSER_ANSWERED)}
        else:
            duplicates.check_rate(request, questionnaire)
            try:
                services.response_submit(questionnaire=questionnaire, person=user, data=request.POST)
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(request, _("Merci, vos réponses sont enregistrées."))
                done = redirect(questionnaire.get_absolute_url())
                duplicates.remember(request, done, questionnaire)
                return done
    context = {
        "questionnaire": questionnaire,
        "process": questionnaire.process,
        "can_answer": can_answer,
        "already": already and not errors,
        "browser_answered": browser_answered,
        "next_person": next_person,
        "next_person_field": duplicates.NEXT_PERSON,
        "can_see_results": rules.can_view_results(request.user, questionnaire),
        **form_context(questionnaire, data, errors, profile=user is None),
    }
    return TemplateResponse(request, "consultations/questionnaires/answer.html", context, status=400 if errors else 200)


@require_http_methods(["GET"])
def questionnaire_results(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(pk)
    require(rules.can_view_results(request.user, questionnaire))
    snapshot = snapshots.current(questionnaire.pk)
    context = {
        "questionnaire": questionnaire,
        "process": questionnaire.process,
        "snapshot": snapshot,
        **results_selectors.questionnaire_results(questionnaire, snapshot.data),
    }
    return TemplateResponse(request, "consultations/questionnaires/results.html", context)


def _facilitated_site(request: HttpRequest, pk: int) -> tuple[Site, User]:
    """The site the signed-in person may enter answers for, and that person (403 for the others)."""
    user = cast(User, request.user)
    site = get_object_or_404(Site.objects.select_related("questionnaire__process__territory"), pk=pk)
    require(rules.can_enter_for_site(user, site))
    return site, user


@login_required
@require_http_methods(["GET", "POST"])
def site_entry(request: HttpRequest, pk: int) -> HttpResponse:
    site, person = _facilitated_site(request, pk)
    data: Any = None
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = request.POST
        try:
            services.site_entry(facilitator=person, site=site, data=request.POST)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("Réponses enregistrées. Vous pouvez saisir la personne suivante."))
            return redirect("consultations:site_entry", pk=site.pk)
    context = {
        "site": site,
        "questionnaire": site.questionnaire,
        "entered": site.responses.count(),
        **form_context(site.questionnaire, data, errors, profile=True),
    }
    return TemplateResponse(
        request, "consultations/questionnaires/site_entry.html", context, status=400 if errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_tables(request: HttpRequest, pk: int) -> HttpResponse:
    """A table's totals in one form (tablet or the paper sheet of the table), typed twice."""
    site, person = _facilitated_site(request, pk)
    data: Any = None
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = request.POST
        try:
            totals = tables.table_totals_entry(person=person, site=site, data=request.POST)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _table_message(totals))
            return redirect("consultations:site_tables", pk=site.pk)
    questions = list(site.questionnaire.questions.select_related("condition_question"))
    labels = {str(question.pk): question.text for question in questions}
    entered = [
        (totals, [labels.get(key, _("nombre de participant·es")) for key in totals.contested])
        for totals in site.table_totals.order_by("table")[:200]
    ]
    context = {
        "site": site,
        "questionnaire": site.questionnaire,
        "views": tables.totals_views(questions, data, errors),
        "errors": errors,
        "values": data or {},
        "entered": entered,
        "max_headcount": tables.MAX_HEADCOUNT,
    }
    return TemplateResponse(
        request, "consultations/questionnaires/site_tables.html", context, status=400 if errors else 200
    )


def _table_message(totals: TableTotals) -> str:
    if totals.state == PaperForm.State.CONFIRMED:
        return _("Table %(table)s comptée : %(n)s participant·es.") % {"table": totals.table, "n": totals.headcount}
    if totals.state == PaperForm.State.DISPUTED:
        return _(
            "Table %(table)s : les deux saisies diffèrent. Une autre personne que la première relit la feuille "
            "et la saisit à nouveau."
        ) % {"table": totals.table}
    return _(
        "Première saisie de la table %(table)s enregistrée : une autre personne (animateur·rice du site ou agent) "
        "doit la confirmer en saisissant la même feuille."
    ) % {"table": totals.table}
