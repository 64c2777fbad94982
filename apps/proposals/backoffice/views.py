"""Back office of proposals (under ``/gestion/``): the instruction list with bulk actions, one
proposal's page, paper entry, answers (drafts, preview, signature, bulk signing), letters to
paper contributors and the answer templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from apps.answers import selectors as answer_selectors
from apps.answers.models import Answer
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
from apps.core.models import Process, Territory
from apps.core.pdf import pdf_download
from apps.core.ratelimits import ratelimit
from apps.core.richtext import render_rich_text
from apps.core.rules_kit import require
from apps.notifications.rendering import markdown_text
from apps.proposals import rules
from apps.proposals.answering import answer_draft_save, answer_drafts_from_template, answer_sign, answers_sign
from apps.proposals.backoffice import selectors
from apps.proposals.backoffice.forms import (
    AnswerForm,
    AnswerTemplateForm,
    AssignForm,
    BulkActionForm,
    InstructionFilterForm,
    NoteForm,
    PaperProposalForm,
    SignForm,
)
from apps.proposals.backoffice.services import answer_template_save, proposals_set_study
from apps.proposals.letter import answer_letter_pdf
from apps.proposals.models import PAPER_CONTACT_RETENTION_DAYS, AnswerTemplate, PaperContact, Proposal
from apps.proposals.paper import letters_to_print, paper_letter_sent
from apps.proposals.services import (
    internal_note_add,
    proposal_create,
    proposal_set_study,
    proposals_assign,
)

PER_PAGE = 50


def _territories(process: Process) -> Any:
    return Territory.objects.filter(pk__in=process.territory.descendant_ids())


def _bulk_actions(user: Any, process: Process) -> list[str]:
    actions = []
    if rules.can_instruct(user, process):
        actions += [BulkActionForm.ASSIGN, BulkActionForm.STUDY]
    if rules.can_answer(user, process):
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
        "proposals/backoffice/instruction_list.html",
        {
            **page,
            "process": process,
            "filter_form": filter_form,
            "form": bulk_form,
            "actions": actions,
            "selected": {str(pk) for pk in request.POST.getlist("proposals")},
            "can_instruct": rules.can_instruct(request.user, process),
        },
        status=status,
    )


@staff_required
def instruction_list(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    require(rules.can_view_instruction(request.user, process))
    return _instruction_list(request, process, None, 200)


@staff_required
@require_POST
@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
def instruction_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    require(rules.can_view_instruction(request.user, process))
    actions = _bulk_actions(request.user, process)
    require(bool(actions))
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
            count = answer_drafts_from_template(actor=actor(request), proposals=proposals, template=data["template"])
            messages.success(
                request,
                ngettext(
                    "%(count)d réponse est prête : elle sera publiée quand un·e signataire l'aura relue et signée.",
                    "%(count)d réponses sont prêtes : elles seront publiées quand un·e signataire les aura relues "
                    "et signées.",
                    count,
                )
                % {"count": count},
            )
            return redirect(reverse("proposals_admin:answers_to_sign", kwargs={"pk": process.pk}))
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
    return redirect(reverse("proposals_admin:instruction", kwargs={"pk": process.pk}))


# --- one proposal ---------------------------------------------------------------------


def _proposal_or_404(pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("process", "process__territory", "territory", "theme", "assigned_service"),
        pk=pk,
    )


def _proposal_page(request: HttpRequest, proposal: Proposal, status: int = 200, **forms: Any) -> HttpResponse:
    process = proposal.process
    draft = answer_selectors.pending_answer(proposal)
    context: dict[str, Any] = {
        "proposal": proposal,
        "process": process,
        "notes": proposal.internal_notes.select_related("author"),
        "answers": proposal.answers.all(),
        "draft": draft,
        "images": proposal.images.all(),
        "commitment": selectors.commitment_of(proposal),
        "can_instruct": rules.can_instruct(request.user, process),
        "can_answer": rules.can_answer(request.user, process),
        "can_sign": rules.can_sign_answer(request.user, process),
        "publication_refusal": rules.answer_publication_refusal(process),
        "paper_contact": selectors.paper_contact_of(proposal) if rules.can_instruct(request.user, process) else None,
        "note_form": forms.get("note_form") or NoteForm(),
        "assign_form": forms.get("assign_form") or AssignForm(initial={"service": proposal.assigned_service_id}),
        "answer_form": forms.get("answer_form")
        or AnswerForm(initial={"status": draft.status, "body": draft.body} if draft else None),
    }
    return render_page(request, "proposals/backoffice/proposal.html", context, status=status)


@staff_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    require(rules.can_view_instruction(request.user, proposal.process))
    return _proposal_page(request, proposal)


def _back(proposal: Proposal, anchor: str = "") -> HttpResponse:
    return redirect(reverse("proposals_admin:proposal", kwargs={"pk": proposal.pk}) + anchor)


@staff_required
@require_POST
def proposal_note(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    require(rules.can_view_instruction(request.user, proposal.process))
    form = NoteForm(request.POST)
    if saved(
        request,
        form,
        lambda: internal_note_add(actor=actor(request), proposal=proposal, body=form.cleaned_data["body"]),
        success=_("La note interne est ajoutée."),
    ):
        return _back(proposal, "#notes")
    return _proposal_page(request, proposal, 400, note_form=form)


@staff_required
@require_POST
def proposal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    require(rules.can_instruct(request.user, proposal.process))
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, 400, assign_form=form)
    proposals_assign(actor=actor(request), proposals=[proposal], service=form.cleaned_data["service"])
    messages.success(request, _("Le service instructeur est enregistré."))
    return _back(proposal)


@staff_required
@require_POST
def proposal_study(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    require(rules.can_instruct(request.user, proposal.process))
    proposal_set_study(actor=actor(request), proposal=proposal)
    messages.success(request, _("La proposition est passée « À l'étude »."))
    return _back(proposal)


@staff_required
@require_POST
@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
def proposal_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    require(rules.can_answer(request.user, proposal.process))
    form = AnswerForm(request.POST)
    if form.is_valid():
        submit = form.cleaned_data.get("step") == AnswerForm.SUBMIT
        try:
            answer_draft_save(
                actor=actor(request),
                proposal=proposal,
                status=form.cleaned_data["status"],
                body=form.cleaned_data["body"],
                submit=submit,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if submit:
                messages.success(request, _("La réponse est soumise à la signature. Vérifiez l'aperçu ci-dessous."))
            else:
                messages.success(request, _("Le brouillon de réponse est enregistré. Il n'est pas public."))
            return redirect(reverse("proposals_admin:proposal_answer_preview", kwargs={"pk": proposal.pk}))
    return _proposal_page(request, proposal, 400, answer_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user_or_ip", rate="30/m", method="POST", block=True)
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    require(rules.can_instruct(request.user, process))
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
                paper_email=data.get("contact_email") or "",
                paper_postal_address=data.get("contact_postal_address") or "",
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("La contribution papier est enregistrée."))
            return _back(proposal)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "process": process, "retention_days": PAPER_CONTACT_RETENTION_DAYS}
    return render_page(request, "proposals/backoffice/paper_entry.html", context, status=status)


# --- preview and signature ---------------------------------------------------------------


def _preview_answer(proposal: Proposal, draft: Answer, signature: str) -> Answer:
    """The answer as it will be published (not saved): the preview renders the public
    template and the e-mail with it."""
    return Answer(
        source=proposal,
        process=draft.process,
        status=draft.status,
        body=draft.body,
        body_html=render_rich_text(draft.body),
        signed_by=signature,
        created_at=timezone.now(),
    )


@staff_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user_or_ip", rate="60/m", method="POST", block=True)
def proposal_answer_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The pending answer exactly as residents (page and e-mail) will see it; the signer
    signs it from here (POST), which publishes it."""
    proposal = _proposal_or_404(pk)
    process = proposal.process
    require(rules.can_answer(request.user, process) or rules.can_sign_answer(request.user, process))
    draft = answer_selectors.pending_answer(proposal)
    if draft is None:
        raise Http404
    signature = rules.signature_for(request.user, process)
    refusal = rules.answer_publication_refusal(process)
    error = ""
    if request.method == "POST":
        require(signature is not None)
        try:
            answer_sign(signer=actor(request), draft=draft)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("La réponse est signée et publiée."))
            return _back(proposal, "#reponses")
    preview = _preview_answer(proposal, draft, signature or _("(signature de la personne qui signera)"))
    context = {
        "proposal": proposal,
        "process": process,
        "draft": draft,
        "preview": preview,
        "email_text": markdown_text(draft.body),
        "can_sign": signature is not None,
        "can_sign_now": signature is not None
        and not refusal
        and (draft.state == Answer.State.SUBMITTED or draft.author_id == request.user.pk),
        "publication_refusal": refusal,
        "error": error,
    }
    return render_page(request, "proposals/backoffice/answer_preview.html", context, status=400 if error else 200)


@staff_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user_or_ip", rate="30/m", method="POST", block=True)
def answers_to_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Bulk signing: every submitted answer of the process, rendered as it will be published;
    the signer ticks the ones they have read and signs them in one go."""
    process = process_or_404(pk)
    require(rules.can_view_instruction(request.user, process))
    signature = rules.signature_for(request.user, process)
    drafts = answer_selectors.answers_to_sign(process, Proposal)
    form = SignForm(request.POST or None, drafts=drafts)
    refusal = rules.answer_publication_refusal(process)
    if request.method == "POST":
        require(signature is not None)
        if form.is_valid():
            try:
                count = answers_sign(signer=actor(request), drafts=list(form.cleaned_data["drafts"]))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d réponse est signée et publiée.",
                        "%(count)d réponses sont signées et publiées.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(reverse("proposals_admin:answers_to_sign", kwargs={"pk": process.pk}))
    page = paginate(request, drafts, PER_PAGE)
    rows = [
        {"draft": draft, "preview": _preview_answer(draft.source, draft, signature or "")} for draft in page["page_obj"]
    ]
    context = {
        **page,
        "process": process,
        "form": form,
        "rows": rows,
        "signature": signature,
        "publication_refusal": refusal,
        "selected": {str(pk) for pk in request.POST.getlist("drafts")},
    }
    return render_page(
        request, "proposals/backoffice/answers_to_sign.html", context, status=400 if request.method == "POST" else 200
    )


# --- letters to paper contributors -------------------------------------------------------


@staff_required
def paper_letters(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_or_404(pk)
    require(rules.can_instruct(request.user, process))
    contacts = letters_to_print(process)
    return render_page(
        request,
        "proposals/backoffice/paper_letters.html",
        {**paginate(request, contacts, PER_PAGE), "process": process},
    )


def _letter_contact(request: HttpRequest, pk: int) -> tuple[Proposal, PaperContact, Answer]:
    proposal = _proposal_or_404(pk)
    require(rules.can_instruct(request.user, proposal.process))
    contact = get_object_or_404(PaperContact.objects.exclude(postal_address=""), proposal=proposal)
    answer = proposal.answers.order_by("-created_at", "-pk").first()
    if answer is None:
        raise Http404
    return proposal, contact, answer


@staff_required
def paper_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, contact, answer = _letter_contact(request, pk)
    letter = answer_letter_pdf(contact, answer)  # personal data: never cached
    return pdf_download(letter, f"reponse-proposition-{proposal.pk}.pdf", cache_control="no-store")


@staff_required
@require_POST
def paper_letter_sent_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, contact, _answer = _letter_contact(request, pk)
    if paper_letter_sent(actor=actor(request), contact=contact):
        messages.success(request, _("Le courrier est noté comme envoyé ; l'adresse postale est effacée."))
    else:
        messages.success(
            request, _("Le courrier est noté comme envoyé ; l'adresse est gardée pour envoyer la décision.")
        )
    return redirect(reverse("proposals_admin:paper_letters", kwargs={"pk": proposal.process_id}))


# --- answer templates ---------------------------------------------------------------------


@staff_required
def answer_templates(request: HttpRequest) -> HttpResponse:
    require(rules.can_manage_answer_templates(request.user))
    return render_page(
        request,
        "proposals/backoffice/answer_templates.html",
        paginate(request, AnswerTemplate.objects.order_by("title"), 50),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def answer_template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(rules.can_manage_answer_templates(request.user))
    template = get_object_or_404(AnswerTemplate, pk=pk) if pk is not None else None
    form = AnswerTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            answer_template_save(actor=actor(request), template=template, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Le modèle de réponse est enregistré."))
            return redirect(reverse("proposals_admin:answer_templates"))
    status = 400 if request.method == "POST" else 200
    return render_page(
        request, "proposals/backoffice/answer_template_form.html", {"form": form, "template": template}, status=status
    )
