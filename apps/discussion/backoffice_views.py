"""The moderation queue (``/gestion/moderation/``): reported comments of every module, in the
moderator's scope; hiding (with a public reason) or dismissing the reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.backoffice_kit import actor, paginate, render_page, staff_required
from apps.core.rules_kit import require
from apps.discussion import rules, selectors, services
from apps.discussion.forms import QueueHideForm
from apps.discussion.models import Comment


def _queue(
    request: HttpRequest, status: int = 200, failed: int | None = None, form: QueueHideForm | None = None
) -> HttpResponse:
    queue = selectors.moderation_queue(request.user).prefetch_related("reports", "target")
    page = paginate(request, queue, 25)
    page["page_obj"].object_list = comments = list(page["page_obj"].object_list)
    selectors.describe(comments)
    return render_page(request, "discussion/moderation.html", {**page, "failed": failed, "failed_form": form}, status)


@staff_required
def moderation(request: HttpRequest) -> HttpResponse:
    require(rules.can_moderate_somewhere(request.user))
    return _queue(request)


def _comment_or_404(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("process__territory", "target_type"), pk=pk)


@staff_required
@require_POST
def moderation_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(pk)
    require(rules.can_moderate(request.user, comment))
    form = QueueHideForm(request.POST)
    if form.is_valid():
        try:
            services.comment_hide(moderator=actor(request), comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, _("Le commentaire est masqué ; les signalements sont traités."))
            return HttpResponseRedirect(reverse("discussion:moderation"))
    return _queue(request, 400, failed=comment.pk, form=form)


@staff_required
@require_POST
def moderation_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(pk)
    require(rules.can_moderate(request.user, comment))
    count = services.report_dismiss(moderator=actor(request), comment=comment)
    messages.success(request, _("%(count)d signalement(s) classé(s) sans suite.") % {"count": count})
    return HttpResponseRedirect(reverse("discussion:moderation"))
