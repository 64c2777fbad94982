"""Back office of a participatory budget (``/gestion/budgets/``): configuration, envelopes,
technical analysis (one by one and in bulk), ballot numbers, realisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from apps.budgets.models import Budget, Project, ProjectStatus, Result
from apps.budgets.projects import analysis, config, rules, selectors
from apps.budgets.projects.analysis import commitment_of
from apps.budgets.projects.eligibility import RULE_CODES, RULE_LABELS, WITHIN_ENVELOPE
from apps.budgets.projects.forms import (
    AnalysisFilterForm,
    AnalysisForm,
    BudgetForm,
    BulkAnalysisForm,
    MergeForm,
    RealisationForm,
)
from apps.core.backoffice_kit import (
    actor,
    attach_errors,
    paginate,
    process_or_404,
    redirect,
    render_page,
    saved,
    staff_required,
)
from apps.core.models import Process
from apps.core.ratelimits import ratelimit
from apps.core.rules_kit import require

PER_PAGE = 100


def _budget_of(process: Process) -> Budget | None:
    return Budget.objects.filter(process=process).prefetch_related("criteria").first()


def _budget_or_404(pk: int) -> Budget:
    return get_object_or_404(Budget.objects.select_related("process__territory"), process_id=pk)


# --- configuration ----------------------------------------------------------------------


def _config_page(
    request: HttpRequest, process: Process, budget: Budget | None, form: BudgetForm, status: int = 200
) -> HttpResponse:
    return render_page(
        request,
        "budgets/admin/config.html",
        {
            "process": process,
            "budget": budget,
            "form": form,
            "can_configure": rules.can_configure_budget(request.user, process),
            "envelopes": selectors.envelopes_of(budget) if budget else [],
            "quartier_count": len(config.quartiers_of(process)),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def budget_config(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    require(rules.can_view_budget_config(request.user, process))
    budget = _budget_of(process)
    can_configure = rules.can_configure_budget(request.user, process)
    if request.method == "POST":
        require(can_configure)
    form = BudgetForm(request.POST or None, instance=budget, read_only=not can_configure)
    if request.method == "POST" and form.is_valid():
        try:
            if budget is None:
                budget = config.budget_create(
                    actor=actor(request), process=process, criteria=form.criteria(), **form.values()
                )
                messages.success(request, _("Le budget participatif est créé et ses enveloppes sont calculées."))
            else:
                config.budget_update(actor=actor(request), budget=budget, criteria=form.criteria(), **form.values())
                messages.success(request, _("Les règles du budget sont enregistrées."))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(reverse("budgets_admin:config", kwargs={"pk": process.pk}))
    return _config_page(request, process, budget, form, 400 if request.method == "POST" else 200)


@staff_required
@require_POST
def envelopes_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget_or_404(pk)
    require(rules.can_configure_budget(request.user, budget.process))
    try:
        config.envelopes_recompute(actor=actor(request), budget=budget)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Les enveloppes sont recalculées."))
    return redirect(reverse("budgets_admin:config", kwargs={"pk": budget.process_id}) + "#enveloppes")


# --- analysis ---------------------------------------------------------------------------


def _analysis_page(request: HttpRequest, budget: Budget, form: BulkAnalysisForm | None, status: int) -> HttpResponse:
    envelopes = selectors.envelopes_of(budget)
    filter_form = AnalysisFilterForm(request.GET or None, envelopes=envelopes)
    params = filter_form.params()
    page = paginate(request, selectors.project_list(budget, {**params, "tri": params.get("tri", "numero")}), PER_PAGE)
    return render_page(
        request,
        "budgets/admin/analysis.html",
        {
            **page,
            "budget": budget,
            "process": budget.process,
            "filter_form": filter_form,
            "form": form or BulkAnalysisForm(budget=budget),
            "counts": selectors.status_counts(budget),
            "selected": {str(pk) for pk in request.POST.getlist("projects")},
            "can_analyse": rules.can_analyse(request.user, budget),
            "frozen": budget.rules_are_frozen,
        },
        status=status,
    )


@staff_required
def analysis_list(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget_or_404(pk)
    require(rules.can_view_analysis(request.user, budget))
    return _analysis_page(request, budget, None, 200)


@staff_required
@require_POST
@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
def analysis_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget_or_404(pk)
    require(rules.can_analyse(request.user, budget))
    form = BulkAnalysisForm(request.POST, budget=budget)
    if not form.is_valid():
        return _analysis_page(request, budget, form, 400)
    data = form.cleaned_data
    projects = list(data["projects"].order_by("pk"))
    action = data["action"]
    try:
        if action == BulkAnalysisForm.COST:
            count = analysis.projects_bulk_analyse(
                actor=actor(request), budget=budget, projects=projects, city_cost=data["city_cost"]
            )
        else:
            count = analysis.projects_bulk_analyse(
                actor=actor(request), budget=budget, projects=projects, status=action, reason=data["full_reason"]
            )
    except ValidationError as error:
        attach_errors(form, error)
        return _analysis_page(request, budget, form, 400)
    messages.success(
        request,
        ngettext("%(count)d projet a été modifié.", "%(count)d projets ont été modifiés.", count) % {"count": count},
    )
    return redirect(reverse("budgets_admin:analysis", kwargs={"pk": budget.process_id}))


@staff_required
@require_POST
def ballot_numbers(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget_or_404(pk)
    require(rules.can_analyse(request.user, budget))
    try:
        count = analysis.ballot_numbers_assign(actor=actor(request), budget=budget)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d projet réalisable porte un numéro de bulletin.",
                "%(count)d projets réalisables portent un numéro de bulletin.",
                count,
            )
            % {"count": count},
        )
    return redirect(reverse("budgets_admin:analysis", kwargs={"pk": budget.process_id}))


def _project_or_404(pk: int) -> Project:
    return get_object_or_404(
        Project.objects.select_related("budget__process__territory", "envelope__territory", "author", "merged_into"),
        pk=pk,
    )


def _project_page(
    request: HttpRequest,
    project: Project,
    status: int = 200,
    form: AnalysisForm | None = None,
    merge_form: MergeForm | None = None,
) -> HttpResponse:
    initial: dict[str, Any] = {
        "status": project.status if project.status in analysis.DECISIONS else ProjectStatus.UNDER_ANALYSIS,
        "city_cost": project.city_cost,
        "reason": project.analysis_reason,
        "checks": [code for code, met in (project.eligibility or {}).items() if met and code != WITHIN_ENVELOPE],
    }
    return render_page(
        request,
        "budgets/admin/project.html",
        {
            "project": project,
            "budget": project.budget,
            "process": project.budget.process,
            "form": form or AnalysisForm(initial=initial),
            "merge_form": merge_form or MergeForm(project=project),
            "can_analyse": rules.can_analyse(request.user, project.budget),
            "frozen": project.budget.rules_are_frozen,
            "eligibility": [(RULE_LABELS[code], (project.eligibility or {}).get(code)) for code in RULE_CODES],
            "coauthors": list(project.coauthors.all()),
            "merged_projects": list(project.merged_projects.all()),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
def project_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(pk)
    require(rules.can_view_analysis(request.user, project.budget))
    if request.method == "GET":
        return _project_page(request, project)
    require(rules.can_analyse(request.user, project.budget))
    form = AnalysisForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            analysis.project_analyse(
                actor=actor(request),
                project=project,
                status=data["status"],
                reason=data.get("reason") or "",
                city_cost=data.get("city_cost"),
                checks=[*data.get("checks", []), WITHIN_ENVELOPE],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("L'avis des services est enregistré."))
            return redirect(reverse("budgets_admin:project", kwargs={"pk": project.pk}))
    project.refresh_from_db()
    return _project_page(request, project, 400, form=form)


@staff_required
@require_POST
def project_merge(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(pk)
    require(rules.can_analyse(request.user, project.budget))
    form = MergeForm(request.POST, project=project)
    if saved(
        request,
        form,
        lambda: analysis.project_merge(actor=actor(request), project=project, target=form.cleaned_data["target"]),
        success=_("Le projet est fusionné ; ses porteurs deviennent co-porteurs."),
    ):
        return redirect(reverse("budgets_admin:project", kwargs={"pk": project.pk}))
    return _project_page(request, project, 400, merge_form=form)


# --- realisation ------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def realisation(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget_or_404(pk)
    require(rules.can_view_analysis(request.user, budget))
    form = RealisationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(rules.can_analyse(request.user, budget))
        if not rules.can_create_commitments(request.user, budget):
            form.add_error(None, _("Les résultats ne sont pas encore publiés."))
            status = 400
        elif form.is_valid():
            try:
                count = analysis.commitments_for_winners(
                    actor=actor(request), budget=budget, service=form.cleaned_data.get("service")
                )
            except ValidationError as error:
                attach_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    ngettext("%(count)d engagement a été créé.", "%(count)d engagements ont été créés.", count)
                    % {"count": count},
                )
                return redirect(reverse("budgets_admin:realisation", kwargs={"pk": budget.process_id}))
        else:
            status = 400
    winners_pks = [pk for result in Result.objects.filter(envelope__budget=budget) for pk in result.selected]
    winners = list(Project.objects.filter(pk__in=winners_pks).select_related("envelope__territory"))
    rows = [(project, commitment_of(project)) for project in winners]
    return render_page(
        request,
        "budgets/admin/realisation.html",
        {
            "budget": budget,
            "process": budget.process,
            "form": form,
            "rows": rows,
            "published": budget.results_published_at is not None,
            "can_create": rules.can_create_commitments(request.user, budget),
        },
        status=status,
    )
