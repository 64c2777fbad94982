"""Commitments of a process: list, create by hand, edit, dated updates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.backoffice import access
from apps.backoffice.forms import CommitmentCreateForm, CommitmentEditForm, CommitmentUpdateForm
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
from apps.core.models import Territory
from apps.core.rules_kit import require
from apps.followup.models import Commitment
from apps.followup.services import commitment_create, commitment_edit, commitment_update


@staff_required
def commitment_list(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    require(access.can_manage_commitments(request.user, process))
    commitments = process.commitments.select_related("service", "territory").order_by("planned_date", "pk")
    return render_page(
        request, "backoffice/commitment_list.html", {**paginate(request, commitments, 50), "process": process}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def commitment_new(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    require(access.can_manage_commitments(request.user, process))
    form = CommitmentCreateForm(request.POST or None)
    form.fields["territory"].queryset = Territory.objects.filter(  # type: ignore[attr-defined]
        pk__in=process.territory.descendant_ids()
    )
    if request.method == "POST" and form.is_valid():
        try:
            commitment = commitment_create(actor=actor(request), process=process, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("L'engagement est créé."))
            return redirect(reverse("backoffice:commitment", kwargs={"pk": commitment.pk}))
    status = 400 if request.method == "POST" else 200
    return render_page(request, "backoffice/commitment_new.html", {"form": form, "process": process}, status=status)


def _commitment_or_404(pk: int) -> Commitment:
    return get_object_or_404(
        Commitment.objects.select_related("process", "process__territory", "service", "territory"), pk=pk
    )


def _commitment_page(request: HttpRequest, commitment: Commitment, status: int = 200, **forms: Any) -> HttpResponse:
    edit_form = forms.get("edit_form") or CommitmentEditForm(
        initial={
            "service": commitment.service_id,
            "planned_date": commitment.planned_date,
            "made_with_residents": commitment.made_with_residents,
        }
    )
    update_form = forms.get("update_form") or CommitmentUpdateForm(
        initial={"progress": commitment.progress, "state": commitment.state}
    )
    return render_page(
        request,
        "backoffice/commitment.html",
        {
            "commitment": commitment,
            "process": commitment.process,
            "updates": commitment.updates.select_related("author"),
            "edit_form": edit_form,
            "update_form": update_form,
        },
        status=status,
    )


@staff_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment_or_404(pk)
    require(access.can_manage_commitments(request.user, commitment.process))
    return _commitment_page(request, commitment)


@staff_required
@require_POST
def commitment_change(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment_or_404(pk)
    require(access.can_manage_commitments(request.user, commitment.process))
    form = CommitmentEditForm(request.POST)
    if saved(
        request,
        form,
        lambda: commitment_edit(actor=actor(request), commitment=commitment, **form.cleaned_data),
        success=_("L'engagement est modifié."),
    ):
        return redirect(reverse("backoffice:commitment", kwargs={"pk": commitment.pk}))
    return _commitment_page(request, commitment, 400, edit_form=form)


@staff_required
@require_POST
def commitment_add_update(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment_or_404(pk)
    require(access.can_manage_commitments(request.user, commitment.process))
    form = CommitmentUpdateForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            commitment_update(
                actor=actor(request),
                commitment=commitment,
                date=data["date"],
                body=data["body"],
                progress=data["progress"],
                state=data["state"],
                photo=data.get("photo") or None,
                photo_alt=data.get("photo_alt") or "",
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Le point d'étape est publié."))
            return redirect(reverse("backoffice:commitment", kwargs={"pk": commitment.pk}))
    return _commitment_page(request, commitment, 400, update_form=form)
