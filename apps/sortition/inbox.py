"""Sortition in the back office's « À faire » inbox (draws whose public seed event has passed
and which wait for their final draw) and search (draws by title)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.registry import SearchHit, ToDo
from apps.core.textsearch import search_text
from apps.sortition.models import Draw
from apps.sortition.selectors import draws_for_staff


def todo(user: Any) -> Iterator[ToDo]:
    now = timezone.now()
    waiting = (
        draws_for_staff(user)
        .filter(seed_event_at__lte=now)
        .exclude(state=Draw.State.DRAWN)
        .order_by("seed_event_at", "pk")
    )
    for draw in waiting[:50]:
        label = _("Tirage à effectuer : %(title)s") % {"title": draw.title}
        due = timezone.localtime(draw.seed_event_at).date() if draw.seed_event_at else None
        yield ToDo(label, 1, reverse("sortition_admin:draw", args=[draw.pk]), due=due)


def search(user: Any, query: str) -> Iterator[SearchHit]:
    for draw in search_text(draws_for_staff(user), query, ("title",)).order_by("-pk")[:20]:
        yield SearchHit(
            _("Tirage au sort"), draw.title, reverse("sortition_admin:draw", args=[draw.pk]), draw.get_state_display()
        )
