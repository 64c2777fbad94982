"""Moderation queue and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.backoffice import access, selectors
from apps.backoffice.forms import AuditFilterForm, HideForm
from apps.core.backoffice_kit import actor, attach_errors, paginate, redirect, render_page, staff_required
from apps.core.rules_kit import require
from apps.proposals.models import Comment
from apps.proposals.rules import can_moderate
from apps.proposals.services import comment_hide, report_dismiss


def _queue(
    request: HttpRequest, status: int = 200, failed: int | None = None, form: HideForm | None = None
) -> HttpResponse:
    page = paginate(request, selectors.moderation_queue(request.user).prefetch_related("reports"), 25)
    return render_page(
        request,
        "backoffice/moderation.html",
        {**page, "failed": failed, "failed_form": form},
        status=status,
    )


@staff_required
def moderation(request: HttpRequest) -> HttpResponse:
    require(access.can_moderate_somewhere(request.user))
    return _queue(request)


def _comment_or_404(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("proposal", "proposal__process__territory"), pk=pk)


@staff_required
@require_POST
def moderation_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(pk)
    require(can_moderate(request.user, comment.proposal))
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            comment_hide(moderator=actor(request), comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Le commentaire est masqué ; les signalements sont traités."))
            return redirect(reverse("backoffice:moderation"))
    return _queue(request, 400, failed=comment.pk, form=form)


@staff_required
@require_POST
def moderation_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(pk)
    require(can_moderate(request.user, comment.proposal))
    count = report_dismiss(moderator=actor(request), comment=comment)
    messages.success(request, _("%(count)d signalement(s) classé(s) sans suite.") % {"count": count})
    return redirect(reverse("backoffice:moderation"))


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require(access.can_view_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    action = form.cleaned_data.get("action", "") if form.is_valid() else ""
    entries = selectors.audit_entries(request.user, action)
    return render_page(request, "backoffice/audit_log.html", {**paginate(request, entries, 50), "filter_form": form})
