"""Public follow-up (droit de suite): what became of every commitment, for everyone."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from apps.core.backoffice_kit import paginate
from apps.core.models import Process, Territory
from apps.core.phases import can_view_process
from apps.followup import charts, selectors
from apps.followup.forms import CommitmentFilterForm
from apps.followup.models import Commitment

PER_PAGE = 20


def index(request: HttpRequest) -> HttpResponse:
    form = CommitmentFilterForm(request.GET or None)
    commitments = selectors.public_commitments()
    if form.is_valid():
        quartier: Territory | None = form.cleaned_data.get("quartier")
        if quartier is not None:
            commitments = commitments.filter(territory_id__in=quartier.descendant_ids())
        etat = form.cleaned_data.get("etat")
        if etat == "retard":
            commitments = commitments.filter(selectors.overdue_filter())
        elif etat:
            commitments = commitments.filter(state=etat)
    commitments = commitments.order_by("planned_date", "pk")
    return render(
        request,
        "followup/index.html",
        {
            **paginate(request, commitments, PER_PAGE),
            "filter_form": form,
            "state_figures": charts.state_figures(commitments),
        },
    )


def _visible_process(request: HttpRequest, slug: str) -> Process:
    """Published processes for everyone; a draft only for the staff of its territory (a
    preview). Anyone else gets a 404: even the existence of a draft is private."""
    found = get_object_or_404(Process.objects.select_related("territory"), slug=slug)
    if not can_view_process(request.user, found):
        raise Http404
    return found


def process(request: HttpRequest, slug: str) -> HttpResponse:
    the_process = _visible_process(request, slug)
    commitments = selectors.with_last_update(
        the_process.commitments.select_related("service", "territory").order_by("planned_date", "pk")
    )
    figures = selectors.process_figures(the_process)
    return render(
        request,
        "followup/process.html",
        {
            **paginate(request, commitments, 50),
            "process": the_process,
            "figures": figures,
            "state_figures": charts.state_figures(the_process.commitments.all()),
            "counts": {figure.key: figure.value for figure in figures},
        },
    )


def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    the_process = _visible_process(request, slug)
    return render(
        request,
        "followup/timeline.html",
        {**paginate(request, selectors.timeline(the_process), 100), "process": the_process},
    )


def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    the_commitment = get_object_or_404(
        Commitment.objects.select_related("process", "process__territory", "service", "territory"), pk=pk
    )
    if not can_view_process(request.user, the_commitment.process):
        raise Http404
    return render(
        request,
        "followup/commitment.html",
        {
            "commitment": the_commitment,
            "updates": the_commitment.updates.all(),
            "source": the_commitment.source,
            "source_url": selectors.source_url(the_commitment),
            "source_kind": the_commitment.source_kind,
        },
    )
