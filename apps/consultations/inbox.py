"""Conversations in the back office's « À faire » inbox: statements waiting for moderation in the
person's scope, and syntheses computed but not yet reviewed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from apps.consultations import moderation
from apps.consultations.synthesis.models import Synthesis
from apps.core.backoffice_kit import AGENTS, scope_for
from apps.core.registry import ToDo


def todo(user: Any) -> Iterator[ToDo]:
    waiting = moderation.queue(user).count()
    if waiting:
        label = ngettext("%(n)d affirmation à modérer", "%(n)d affirmations à modérer", waiting) % {"n": waiting}
        yield ToDo(label, waiting, reverse("consultations_admin:moderation"))
    scope = scope_for(user, AGENTS)
    if not scope.is_empty:
        drafts = Synthesis.objects.filter(scope.process_filter("process__"), state=Synthesis.State.DRAFT).count()
        if drafts:
            label = ngettext("%(n)d synthèse à relire", "%(n)d synthèses à relire", drafts) % {"n": drafts}
            yield ToDo(label, drafts, reverse("consultations_admin:syntheses"))
