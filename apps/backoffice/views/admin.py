"""The audit log (the moderation queue is in apps.discussion, answer templates in apps.proposals.backoffice)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from apps.backoffice import access, selectors
from apps.backoffice.forms import AuditFilterForm
from apps.core.backoffice_kit import paginate, render_page, staff_required
from apps.core.rules_kit import require


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require(access.can_view_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    action = form.cleaned_data.get("action", "") if form.is_valid() else ""
    entries = selectors.audit_entries(request.user, action)
    return render_page(request, "backoffice/audit_log.html", {**paginate(request, entries, 50), "filter_form": form})
