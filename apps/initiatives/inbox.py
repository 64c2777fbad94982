"""The initiatives module in the back office's « À faire » inbox, for the agents of a quartier:
associations and collectives proposed for the directory of actors, messages of the directory
their recipients reported, and closing reports
(« bilans ») their holders filed, waiting for validation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.backoffice_kit import AGENTS, territories_in_scope
from apps.core.registry import ToDo
from apps.initiatives import directory, directory_messages, rules
from apps.initiatives.models import ClosingReport

# One line per report; beyond this many the back office's list of initiatives takes over.
MAX_REPORT_LINES = 50


def todo(user: Any) -> Iterator[ToDo]:
    if not rules.can_manage(user):
        return
    pending = directory.pending_actors(user).count()
    if pending:
        label = ngettext(
            "%(n)d fiche de l'annuaire des acteurs à valider",
            "%(n)d fiches de l'annuaire des acteurs à valider",
            pending,
        ) % {"n": pending}
        yield ToDo(label, pending, reverse("initiatives_admin:actors"))
    reported = directory_messages.reported_messages(user).count()
    if reported:
        label = ngettext(
            "%(n)d message de l'annuaire signalé",
            "%(n)d messages de l'annuaire signalés",
            reported,
        ) % {"n": reported}
        yield ToDo(label, reported, reverse("initiatives_admin:actor_messages"))
    yield from _reports(user)


def _reports(user: Any) -> Iterator[ToDo]:
    """Filed reports of the agent's quartiers. The city sets no deadline for validating a report:
    the line is dated by its filing (oldest first) and never shown as late."""
    filed = (
        ClosingReport.objects.filter(
            state=ClosingReport.State.FILED, initiative__territory__in=territories_in_scope(user, AGENTS)
        )
        .select_related("initiative")
        .order_by("filed_at", "pk")
    )
    for report in filed[:MAX_REPORT_LINES]:
        label = _("Bilan de projet à valider : %(title)s") % {"title": report.initiative.title}
        url = reverse("initiatives_admin:report", kwargs={"pk": report.initiative_id})
        yield ToDo(label, 1, url, due=timezone.localdate(report.filed_at))
