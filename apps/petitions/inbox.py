"""Petitions in the back office's « À faire » inbox (petitions to moderate, reasoned answers
owed past the threshold) and search. Petitions are scoped by territory, like their rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.backoffice_kit import scope_for
from apps.core.registry import SearchHit, ToDo
from apps.core.textsearch import search_text
from apps.petitions import rules, selectors
from apps.petitions.models import Petition


def _in_scope(user: Any, roles: frozenset[str]) -> QuerySet[Petition]:
    scope = scope_for(user, roles)
    if scope.city_wide:
        return Petition.objects.all()
    return Petition.objects.filter(territory_id__in=scope.territory_ids)


def todo(user: Any) -> Iterator[ToDo]:
    pending = _in_scope(user, rules.MODERATORS).filter(state=Petition.State.PENDING).count()
    if pending:
        label = ngettext("%(n)d pétition à modérer", "%(n)d pétitions à modérer", pending) % {"n": pending}
        yield ToDo(label, pending, reverse("petitions_admin:list"))
    owed = _in_scope(user, rules.AGENTS).filter(route="", answer_due__isnull=False)
    for petition in owed.order_by("answer_due", "pk")[:50]:
        label = _("Réponse argumentée due : %(title)s") % {"title": petition.title}
        url = reverse("petitions_admin:answer", args=[petition.pk])
        yield ToDo(label, 1, url, due=petition.answer_due, overdue=selectors.is_overdue(petition))


def search(user: Any, query: str) -> Iterator[SearchHit]:
    found = search_text(_in_scope(user, rules.STAFF).select_related("territory"), query, ("title",))
    for petition in found.order_by("-pk")[:20]:
        url = reverse("petitions_admin:detail", args=[petition.pk])
        yield SearchHit(_("Pétition"), petition.title, url, petition.get_state_display())
