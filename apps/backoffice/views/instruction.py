"""Instruction of proposals: list with bulk actions, one proposal's page, paper entry."""

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
from django_ratelimit.decorators import ratelimit

from apps.backoffice import access, selectors
from apps.backoffice.forms import (
    AnswerForm,
    AssignForm,
    BulkActionForm,
    InstructionFilterForm,
    NoteForm,
    PaperProposalForm,
)
from apps.backoffice.services import proposals_set_study
from apps.backoffice.views.common import actor, attach_errors, process_or_404, redirect, render_page
from apps.core.models import Process, Territory
from apps.followup.paging import paginate
from apps.proposals.models import Proposal
from apps.proposals.services import (
    internal_note_add,
    proposal_answer,
    proposal_create,
    proposal_set_study,
    proposals_assign,
    proposals_bulk_answer,
)

PER_PAGE = 50


def _territories(process: Process) -> Any:
    return Territory.objects.filter(pk__in=process.territory.descendant_ids())


def _bulk_actions(user: Any, process: Process) -> list[str]:
    actions = []
    if access.can_instruct(user, process):
        actions += [BulkActionForm.ASSIGN, BulkActionForm.STUDY]
    if access.can_answer(user, process):
        actions.append(BulkActionForm.ANSWER)
    return actions


def _instruction_list(
    request: HttpRequest, process: Process, bulk_form: BulkActionForm | None, status: int
) -> HttpResponse:
    territories = _territories(process)
    filter_form = InstructionFilterForm(request.GET or None, territories=territories)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    proposals = selectors.instruction_proposals(process, filters)
    page = paginate(request, proposals, PER_PAGE)
    actions = _bulk_actions(request.user, process)
    if bulk_form is None:
        bulk_form = BulkActionForm(proposals=Proposal.objects.none(), actions=actions)
    return render_page(
        request,
        "backoffice/instruction_list.html",
        {
            **page,
            "process": process,
            "filter_form": filter_form,
            "form": bulk_form,
            "actions": actions,
            "selected": {str(pk) for pk in request.POST.getlist("proposals")},
            "can_instruct": access.can_instruct(request.user, process),
        },
        status=status,
    )


@access.staff_required
def instruction_list(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    access.check(access.can_view_instruction(request.user, process))
    return _instruction_list(request, process, None, 200)


@access.staff_required
@require_POST
@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
def instruction_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    access.check(access.can_view_instruction(request.user, process))
    actions = _bulk_actions(request.user, process)
    access.check(bool(actions))
    form = BulkActionForm(
        request.POST,
        proposals=Proposal.objects.filter(process=process).select_related("process", "process__territory"),
        actions=actions,
    )
    if not form.is_valid():
        return _instruction_list(request, process, form, 400)
    data = form.cleaned_data
    proposals = list(data["proposals"].order_by("pk"))
    try:
        if data["action"] == BulkActionForm.ASSIGN:
            count = proposals_assign(actor=actor(request), proposals=proposals, service=data["service"])
        elif data["action"] == BulkActionForm.ANSWER:
            count = proposals_bulk_answer(
                actor=actor(request),
                proposals=proposals,
                template=data["template"],
                signed_by=data.get("signed_by") or "",
            )
        else:
            count = proposals_set_study(actor=actor(request), proposals=proposals)
    except ValidationError as error:
        attach_errors(form, error)
        return _instruction_list(request, process, form, 400)
    messages.success(
        request,
        ngettext("%(count)d proposition a été modifiée.", "%(count)d propositions ont été modifiées.", count)
        % {"count": count},
    )
    return redirect(reverse("backoffice:instruction", kwargs={"pk": process.pk}))


# --- one proposal ---------------------------------------------------------------------


def _proposal_or_404(pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("process", "process__territory", "territory", "theme", "assigned_service"),
        pk=pk,
    )


def _proposal_page(request: HttpRequest, proposal: Proposal, status: int = 200, **forms: Any) -> HttpResponse:
    process = proposal.process
    context: dict[str, Any] = {
        "proposal": proposal,
        "process": process,
        "notes": proposal.internal_notes.select_related("author"),
        "answers": proposal.answers.all(),
        "images": proposal.images.all(),
        "commitment": selectors.commitment_of(proposal),
        "can_instruct": access.can_instruct(request.user, process),
        "can_answer": access.can_answer(request.user, process),
        "note_form": forms.get("note_form") or NoteForm(),
        "assign_form": forms.get("assign_form") or AssignForm(initial={"service": proposal.assigned_service_id}),
        "answer_form": forms.get("answer_form") or AnswerForm(initial={"signed_by": request.user}),
    }
    return render_page(request, "backoffice/proposal.html", context, status=status)


@access.staff_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    access.check(access.can_view_instruction(request.user, proposal.process))
    return _proposal_page(request, proposal)


def _back(proposal: Proposal, anchor: str = "") -> HttpResponse:
    return redirect(reverse("backoffice:proposal", kwargs={"pk": proposal.pk}) + anchor)


@access.staff_required
@require_POST
def proposal_note(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    access.check(access.can_view_instruction(request.user, proposal.process))
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            internal_note_add(actor=actor(request), proposal=proposal, body=form.cleaned_data["body"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("La note interne est ajoutée."))
            return _back(proposal, "#notes")
    return _proposal_page(request, proposal, 400, note_form=form)


@access.staff_required
@require_POST
def proposal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    access.check(access.can_instruct(request.user, proposal.process))
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, 400, assign_form=form)
    proposals_assign(actor=actor(request), proposals=[proposal], service=form.cleaned_data["service"])
    messages.success(request, _("Le service instructeur est enregistré."))
    return _back(proposal)


@access.staff_required
@require_POST
def proposal_study(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    access.check(access.can_instruct(request.user, proposal.process))
    proposal_set_study(actor=actor(request), proposal=proposal)
    messages.success(request, _("La proposition est passée « À l'étude »."))
    return _back(proposal)


@access.staff_required
@require_POST
@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
def proposal_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    access.check(access.can_answer(request.user, proposal.process))
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            proposal_answer(
                actor=actor(request),
                proposal=proposal,
                status=form.cleaned_data["status"],
                body=form.cleaned_data["body"],
                signed_by=form.cleaned_data.get("signed_by") or "",
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("La réponse argumentée est publiée."))
            return _back(proposal, "#reponses")
    return _proposal_page(request, proposal, 400, answer_form=form)


@access.staff_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user_or_ip", rate="30/m", method="POST", block=True)
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    access.check(access.can_instruct(request.user, process))
    form = PaperProposalForm(request.POST or None)
    territory_field = form.fields["territory"]
    territory_field.queryset = _territories(process)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = proposal_create(
                author=actor(request),
                process=process,
                title=data["title"],
                body=data["body"],
                theme=data.get("theme"),
                territory=data.get("territory"),
                paper_author_name=data["paper_author_name"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("La contribution papier est enregistrée."))
            return _back(proposal)
    status = 400 if request.method == "POST" else 200
    return render_page(request, "backoffice/paper_entry.html", {"form": form, "process": process}, status=status)
