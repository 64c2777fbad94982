"""Back-office pages of a participatory evaluation (``/gestion/ateliers/<pk>/evaluation/``):
the agents of the workshop describe what is evaluated and keep the evidence file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.backoffice_kit import actor, redirect, render_page, saved, staff_required
from apps.core.rules_kit import require
from apps.workshops import evaluation_services as services
from apps.workshops import rules
from apps.workshops.evaluation_forms import EvaluationForm, EvidenceForm
from apps.workshops.evaluation_models import Evaluation, EvidenceFile
from apps.workshops.models import Workshop


def _workshop(request: HttpRequest, pk: int) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("process__territory", "opinion"), pk=pk)
    require(rules.can_manage_workshop(request.user, workshop))
    return workshop


def _page(request: HttpRequest, workshop: Workshop, status: int = 200, **forms: Any) -> HttpResponse:
    evaluation = Evaluation.objects.filter(workshop=workshop).first()
    return render_page(
        request,
        "workshops/backoffice/evaluation.html",
        {
            "workshop": workshop,
            "process": workshop.process,
            "evaluation": evaluation,
            "form": forms.get("form") or EvaluationForm(instance=evaluation),
            "evidence_form": forms.get("evidence_form") or EvidenceForm(),
            "evidence": evaluation.evidence.order_by("pk") if evaluation else [],
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    if request.method == "GET":
        return _page(request, workshop)
    form = EvaluationForm(request.POST)
    if saved(
        request,
        form,
        lambda: services.evaluation_save(actor=actor(request), workshop=workshop, **form.cleaned_data),
        success=_("L'évaluation est enregistrée."),
    ):
        return redirect(reverse("workshops_admin:evaluation", kwargs={"pk": workshop.pk}))
    return _page(request, workshop, 400, form=form)


@staff_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    evaluation = Evaluation.objects.filter(workshop=workshop).first()
    if evaluation is None:
        form.add_error(None, _("Décrivez d'abord ce qui est évalué, puis ajoutez les pièces du dossier."))
    elif form.is_valid():
        try:
            services.evidence_add(actor=actor(request), evaluation=evaluation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("La pièce est ajoutée au dossier d'évaluation."))
            return redirect(reverse("workshops_admin:evaluation", kwargs={"pk": workshop.pk}))
    return _page(request, workshop, 400, evidence_form=form)


@staff_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    piece = get_object_or_404(EvidenceFile.objects.select_related("evaluation__workshop__process"), pk=pk)
    workshop = piece.evaluation.workshop
    require(rules.can_manage_workshop(request.user, workshop))
    services.evidence_remove(actor=actor(request), evidence=piece)
    messages.success(request, _("La pièce est retirée du dossier."))
    return redirect(reverse("workshops_admin:evaluation", kwargs={"pk": workshop.pk}))
