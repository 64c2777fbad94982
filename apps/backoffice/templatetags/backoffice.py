"""``{% backoffice_can "question" user process as flag %}``: templates ask the same
permission questions as the views, from a fixed list."""

from __future__ import annotations

from typing import Any

from django import template

from apps.backoffice import access

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
