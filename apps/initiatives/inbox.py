"""The initiatives module in the back office's « À faire » inbox: associations and collectives
proposed for the directory of actors, waiting for an agent of their quartier."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from apps.core.registry import ToDo
from apps.initiatives import directory, rules


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
