"""The public comment actions (report, hide with a public reason, show again), shared by the
modules: each module finds the comment on its own object (404 when the visitor may not see
it) and hands it here with the template of its confirmation page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.discussion import rules, services
from apps.discussion.forms import HideForm, ReportForm
from apps.discussion.models import Comment
from apps.discussion.targets import comment_url


def report(request: HttpRequest, comment: Comment, *, template: str, context: dict[str, Any]) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_report(request.user, comment):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_report(reporter=request.user, comment=comment, reason=form.cleaned_data["reason"])
        messages.success(request, _("Merci. L'équipe de modération va examiner ce commentaire."))
        return HttpResponseRedirect(comment_url(comment))
    return render(
        request,
        template,
        {**context, "form": form, "comment": comment, "action": "report"},
        status=400 if request.method == "POST" else 200,
    )


def hide(request: HttpRequest, comment: Comment, *, template: str, context: dict[str, Any]) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_moderate(request.user, comment):
        raise PermissionDenied
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_hide(moderator=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reason", message)
        else:
            messages.success(request, _("Le commentaire est masqué ; le motif est affiché à sa place."))
            return HttpResponseRedirect(comment_url(comment))
    return render(
        request,
        template,
        {**context, "form": form, "comment": comment, "action": "hide"},
        status=400 if request.method == "POST" else 200,
    )


def unhide(request: HttpRequest, comment: Comment, *, login_next: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(login_next)
    if not rules.can_moderate(request.user, comment):
        raise PermissionDenied
    services.comment_unhide(moderator=request.user, comment=comment)
    messages.success(request, _("Le commentaire est de nouveau visible."))
    return HttpResponseRedirect(comment_url(comment))
