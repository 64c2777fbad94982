"""What consultations add to a process page: a link to each conversation, questionnaire and
published synthesis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from apps.consultations import selectors
from apps.core.phases import hosts_module

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.core.models import Process


def process_panel(request: HttpRequest, process: Process) -> Mapping[str, Any] | None:
    if not hosts_module(process, "consultations"):
        return None
    conversations = selectors.conversations_of(process)
    questionnaires = list(process.questionnaires.order_by("pk"))
    if not (conversations or questionnaires):
        return None
    syntheses = list(process.syntheses.filter(state="published").order_by("-published_at"))
    return {"conversations": conversations, "questionnaires": questionnaires, "syntheses": syntheses}
