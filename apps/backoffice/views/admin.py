"""Answer templates and the audit log (the moderation queue is in apps.discussion)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.backoffice import access, selectors
from apps.backoffice.forms import AnswerTemplateForm, AuditFilterForm
from apps.backoffice.services import answer_template_save
from apps.core.backoffice_kit import actor, attach_errors, paginate, redirect, render_page, staff_required
from apps.core.rules_kit import require
from apps.proposals.models import AnswerTemplate


@staff_required
def answer_templates(request: HttpRequest) -> HttpResponse:
    require(access.can_manage_answer_templates(request.user))
    return render_page(
        request, "backoffice/answer_templates.html", paginate(request, AnswerTemplate.objects.order_by("title"), 50)
    )


@staff_required
@require_http_methods(["GET", "POST"])
def answer_template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(access.can_manage_answer_templates(request.user))
    template = get_object_or_404(AnswerTemplate, pk=pk) if pk is not None else None
    form = AnswerTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            answer_template_save(actor=actor(request), template=template, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Le modèle de réponse est enregistré."))
            return redirect(reverse("backoffice:answer_templates"))
    status = 400 if request.method == "POST" else 200
    return render_page(
        request, "backoffice/answer_template_form.html", {"form": form, "template": template}, status=status
    )


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require(access.can_view_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    action = form.cleaned_data.get("action", "") if form.is_valid() else ""
    entries = selectors.audit_entries(request.user, action)
    return render_page(request, "backoffice/audit_log.html", {**paginate(request, entries, 50), "filter_form": form})
