"""``{% backoffice_can "question" user process as flag %}``: templates ask the same
permission questions as the views, from a fixed list."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from apps.backoffice import access
from apps.core import plugs
from apps.core.backoffice_kit import can_use_backoffice
from apps.core.registry import backoffice_menu

register = template.Library()

QUESTIONS = {
    "edit_process": access.can_edit_process,
    "view_instruction": access.can_view_instruction,
    "instruct": access.can_instruct,
    "answer": access.can_answer,
    "manage_commitments": access.can_manage_commitments,
}


@register.simple_tag
def backoffice_can(question: str, user: Any, process: Any) -> bool:
    return bool(QUESTIONS[question](user, process))


@register.simple_tag(takes_context=True)
def backoffice_sidenav(context: template.Context) -> str:
    """The back office's left navigation (a disclosure on a phone): its own pages, then each
    module's entries from the manifests. Shown on ``/gestion/`` pages to staff only, so a
    resident who lands on a back-office 403 sees no menu."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not request.path.startswith("/gestion/") or not can_use_backoffice(user):
        return ""  # every public page passes here: leave at once, render nothing
    context_data = {
        "user": user,
        "path": request.path,
        "query": "",
        "can_create_process": access.can_create_process(user),
        "can_moderate": access.can_moderate_somewhere(user),
        "can_manage_templates": access.can_manage_answer_templates(user),
        "can_view_audit": access.can_view_audit_log(user),
        "can_manage_roles": access.can_manage_roles(user),
        "modules": [
            (manifest.verbose_name, [plugs.resolved(entry) for entry in entries])
            for manifest, entries in backoffice_menu(user)
        ],
    }
    return render_to_string("backoffice/_sidenav.html", context_data, request=request)
