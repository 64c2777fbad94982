"""Dashboard and the configuration of processes and their phases."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.backoffice import access, selectors
from apps.backoffice.forms import PhaseFormSet, ProcessForm
from apps.backoffice.services import PhaseData, process_save
from apps.core.backoffice_kit import (
    AGENTS,
    MODERATORS,
    READERS,
    actor,
    attach_errors,
    paginate,
    process_or_404,
    redirect,
    render_page,
    scope_for,
    staff_required,
    territories_in_scope,
)
from apps.core.models import Process
from apps.core.registry import todo_items
from apps.core.rules_kit import require


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = paginate(request, selectors.dashboard_processes(user), 25)
    editors = scope_for(user, AGENTS)
    readers = scope_for(user, READERS)
    moderators = scope_for(user, MODERATORS)
    today = timezone.localdate()
    rows = [
        {
            "process": process,
            "overdue": process.awaiting_total if process.answer_due < today else 0,
            "can_edit": editors.covers(process),
            "can_instruct": readers.covers(process),
            "can_moderate": moderators.covers(process),
        }
        for process in page["page_obj"]
    ]
    todo = [item for _manifest, item in todo_items(user)]
    return render_page(
        request,
        "backoffice/dashboard.html",
        {
            **page,
            "rows": rows,
            "can_create_process": access.can_create_process(user),
            "todo_total": sum(item.count for item in todo),
            "todo_overdue": sum(item.count for item in todo if item.overdue),
            "todo_first": todo[:5],
            "commitments_chart": selectors.commitments_chart(user),
        },
    )


def _phase_data(formset: Any) -> list[PhaseData]:
    rows: list[PhaseData] = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue  # a spare row left blank
        rows.append(
            PhaseData(
                pk=form.instance.pk,
                module=data["module"],
                kind=data["kind"],
                title=data["title"],
                description=data.get("description", ""),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                delete=bool(data.get("DELETE")),
            )
        )
    return rows


def _process_form_page(request: HttpRequest, process: Process | None) -> HttpResponse:
    territories = territories_in_scope(request.user, AGENTS)
    instance = process or Process()
    if request.method == "POST":
        form = ProcessForm(request.POST, request.FILES, instance=instance, territories=territories)
        formset = PhaseFormSet(request.POST, instance=instance, prefix="etapes")
        if form.is_valid() and formset.is_valid():
            try:
                saved = process_save(
                    actor=actor(request),
                    process=process,
                    values=form.cleaned_data,
                    slug=form.cleaned_data.get("slug") or "",
                    themes=form.cleaned_data["themes"],
                    phases=_phase_data(formset),
                    cover=form.cover_values(),
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("La démarche « %(title)s » est enregistrée.") % {"title": saved.title})
                return redirect(reverse("backoffice:process_edit", kwargs={"pk": saved.pk}))
        status = 400
    else:
        form = ProcessForm(instance=instance, territories=territories)
        formset = PhaseFormSet(instance=instance, prefix="etapes")
        status = 200
    return render_page(
        request,
        "backoffice/process_form.html",
        {"form": form, "formset": formset, "process": process},
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def process_create(request: HttpRequest) -> HttpResponse:
    require(access.can_create_process(request.user))
    return _process_form_page(request, None)


@staff_required
@require_http_methods(["GET", "POST"])
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    if not access.can_edit_process(request.user, process):
        raise PermissionDenied
    return _process_form_page(request, process)
