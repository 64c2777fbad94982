"""Pages of the end of a supported project (receipts, closing report and its PDF) and of the
sessions of an appel à agir. Each view parses input, asks one rule, calls one service, then
renders or redirects. Receipts are sent by a view that checks who asks, never by ``/media/``."""

from __future__ import annotations

from typing import cast

from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.models import User
from apps.core.backoffice_kit import actor, redirect, render_page, saved, staff_required
from apps.core.params import parse_id
from apps.core.pdf import pdf_download
from apps.core.rules_kit import require
from apps.core.uploads import STORED_FILE_CSP, stored_file_response
from apps.initiatives import closing, closing_rules, rules, sessions
from apps.initiatives.backoffice_views import _status
from apps.initiatives.closing_forms import AttachmentForm, ExamineForm, ReportForm, ReviewForm, SessionForm
from apps.initiatives.models import Attachment, Call, CallSession, ClosingReport, Initiative


def _project(request: HttpRequest, pk: int) -> Initiative:
    """The project, for its holders and the quartier's agents only (404 for anyone else)."""
    initiative = get_object_or_404(Initiative.objects.select_related("territory", "call", "decision", "report"), pk=pk)
    if not closing_rules.can_see_attachments(request.user, initiative):
        raise Http404
    return initiative


@login_required
@require_http_methods(["GET", "POST"])
def closing_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The end of the project for its holders: receipts and photos, the closing report."""
    initiative = _project(request, pk)
    user = cast(User, request.user)
    action = request.POST.get("action", "")
    can_attach = closing_rules.can_add_attachment(user, initiative)
    can_report = closing_rules.can_file_report(user, initiative)
    if request.method == "POST":
        require((action in ("attachment", "remove") and can_attach) or (action == "report" and can_report))
    if action == "remove":
        return _remove_piece(request, user, initiative)
    attachment_form = AttachmentForm(
        request.POST if action == "attachment" else None, request.FILES if action == "attachment" else None
    )
    report: ClosingReport | None = getattr(initiative, "report", None)
    initial = {}
    if report is not None:
        initial = {
            "done": report.done,
            "participants": report.participants,
            "participants_note": report.participants_note,
            "spent": report.spent,
            "difference_note": report.difference_note,
        }
    report_form = ReportForm(request.POST if action == "report" else None, initial=initial, prefix="bilan")
    done = False
    if action == "attachment":
        done = saved(
            request,
            attachment_form,
            lambda: closing.attachment_add(actor=user, initiative=initiative, **attachment_form.cleaned_data),
            success=_("La pièce est ajoutée. Seul·es les porteur·ses et les agent·es du quartier peuvent l'ouvrir."),
        )
    elif action == "report":
        done = saved(
            request,
            report_form,
            lambda: closing.report_file(holder=user, initiative=initiative, **report_form.cleaned_data),
            success=_("Votre bilan est déposé : un·e agent·e va le relire et le valider."),
        )
    if done:
        return redirect(reverse("initiatives:closing", kwargs={"pk": initiative.pk}))
    return render_page(
        request,
        "initiatives/closing.html",
        {
            "initiative": initiative,
            "decision": getattr(initiative, "decision", None),
            "attachments": list(initiative.attachments.all()),
            "can_remove": closing_rules.can_remove_attachment(user, initiative),
            "report": report,
            "attachment_form": attachment_form if can_attach else None,
            "report_form": report_form if can_report else None,
        },
        status=_status(
            request, attachment_form if action == "attachment" else None, report_form if action == "report" else None
        ),
    )


def _remove_piece(request: HttpRequest, user: User, initiative: Initiative) -> HttpResponse:
    """The « Retirer » button of one piece: nothing is typed, so an error is a message above the
    page (the piece was already removed, the report validated meanwhile) and the page again."""
    try:
        piece = closing.attachment_remove(
            actor=user, initiative=initiative, piece_id=parse_id(request.POST.get("piece")) or 0
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La pièce « %(label)s » est retirée.") % {"label": piece.label})
    return redirect(reverse("initiatives:closing", kwargs={"pk": initiative.pk}))


@login_required
@require_GET
@csp(STORED_FILE_CSP)  # type: ignore[arg-type]  # django-csp types views as (request) only
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    piece = get_object_or_404(Attachment.objects.select_related("initiative__territory"), pk=pk)
    if not closing_rules.can_see_attachments(request.user, piece.initiative):
        raise Http404
    try:
        handle = piece.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = piece.file.name.rsplit(".", 1)[-1].lower()
    response = stored_file_response(handle, name=piece.file.name, download_name=f"piece-{piece.pk}.{extension}")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _project(request, pk)
    report = getattr(initiative, "report", None)
    if report is None:
        raise Http404
    return pdf_download(
        closing.report_pdf(report), f"bilan-projet-{initiative.pk}.pdf", cache_control="private, no-store"
    )


# --- back office ------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404(Initiative.objects.select_related("territory", "decision", "report"), pk=pk)
    require(rules.can_read_backoffice(request.user, initiative.territory))
    report = getattr(initiative, "report", None)
    if report is None:
        raise Http404
    can_review = closing_rules.can_review_report(request.user, report)
    if request.method == "POST":
        require(can_review)
    form = ReviewForm(request.POST or None)
    if saved(
        request,
        form,
        lambda: closing.report_review(
            actor=actor(request),
            report=report,
            validate=form.cleaned_data["verdict"] == "validate",
            note=form.cleaned_data["review_note"],
        ),
        success=_("Le bilan est traité ; le porteur ou la porteuse est prévenu·e."),
    ):
        return redirect(reverse("initiatives_admin:report", kwargs={"pk": initiative.pk}))
    return render_page(
        request,
        "initiatives/backoffice/report.html",
        {
            "initiative": initiative,
            "report": report,
            "attachments": list(initiative.attachments.all()),
            "can_see_attachments": closing_rules.can_see_attachments(request.user, initiative),
            "form": form if can_review else None,
        },
        status=_status(request, form),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def call_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Call.objects.select_related("territory"), pk=pk, mode=Call.Mode.SESSIONS)
    require(rules.can_read_backoffice(request.user, found.territory))
    manage = rules.can_manage_call(request.user, found)
    if request.method == "POST":
        require(manage)
    form = SessionForm(request.POST or None)
    if saved(
        request,
        form,
        lambda: sessions.session_add(actor=actor(request), call=found, **form.cleaned_data),
        success=_("La session est ajoutée au calendrier de l'appel."),
    ):
        return redirect(reverse("initiatives_admin:sessions", kwargs={"pk": found.pk}))
    return render_page(
        request,
        "initiatives/backoffice/sessions.html",
        {"call": found, "sessions": list(found.sessions.all()), "form": form if manage else None},
        status=_status(request, form),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a session not examined yet: its page links here for the call's managers only."""
    session = get_object_or_404(CallSession.objects.select_related("call__territory"), pk=pk)
    require(rules.can_manage_call(request.user, session.call) and session.examined_at is None)
    initial = {
        "title": session.title,
        "cutoff": session.cutoff,
        "examines_on": session.examines_on,
        "tranche": session.tranche,
    }
    form = SessionForm(request.POST or None, initial=initial)
    if saved(
        request,
        form,
        lambda: sessions.session_update(actor=actor(request), session=session, **form.cleaned_data),
        success=_("La session est corrigée."),
    ):
        return redirect(reverse("initiatives_admin:session", kwargs={"pk": session.pk}))
    return render_page(
        request,
        "initiatives/backoffice/session_edit.html",
        {"call": session.call, "session": session, "form": form},
        status=_status(request, form),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(CallSession.objects.select_related("call__territory"), pk=pk)
    found = session.call
    require(rules.can_read_backoffice(request.user, found.territory))
    manage = rules.can_manage_call(request.user, found)
    if request.method == "POST":
        require(manage)
    pending = sessions.pending(session)
    form = ExamineForm(request.POST or None, dossiers=pending)
    if saved(
        request,
        form,
        lambda: sessions.session_examine(
            actor=actor(request),
            session=session,
            conforming=form.cleaned_data["conforming"],
            note=form.cleaned_data["note"],
        ),
        success=_("La session est examinée : les décisions sont publiées avec leurs motifs."),
    ):
        return redirect(reverse("initiatives_admin:session", kwargs={"pk": session.pk}))
    can_examine = manage and session.examined_at is None and timezone.localdate() > session.cutoff
    return render_page(
        request,
        "initiatives/backoffice/session.html",
        {
            "call": found,
            "session": session,
            "pending": list(pending),
            "decided": list(
                Initiative.objects.filter(call=found, decision__isnull=False, session=session).select_related(
                    "decision"
                )
            ),
            "form": form if can_examine else None,
            "can_edit": manage and session.examined_at is None,
            "rule_text": sessions.RULE_TEXT,
        },
        status=_status(request, form),
    )
