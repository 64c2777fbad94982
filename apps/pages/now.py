"""What a resident can do now: the open processes whose current phase lets them act, worded
as an invitation with its deadline ("Votez avant le 22 décembre"), ordered by urgency.

A vote comes first (it is the act with the hardest deadline and the one a resident most often
misses), then every other act by the end of its phase; the resident's own quartier first among
equals. What a phase allows comes from the module's manifest (``PhaseKind.allows``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.models import Phase, Process

# The act a phase allows → how the home page words it, and its icon. The first act of this
# list that a phase allows is the one shown; a phase allowing only acts not listed is shown as
# "Participez".
ACTS: tuple[tuple[frozenset[str], Promise, str], ...] = (
    (frozenset({"vote"}), _("Votez"), "vote"),
    (frozenset({"create", "submit_project"}), _("Proposez une idée"), "lightbulb"),
    (frozenset({"support"}), _("Soutenez des propositions"), "circle-check"),
    (frozenset({"volunteer", "apply"}), _("Portez-vous volontaire"), "users"),
    (frozenset({"comment", "edit_opinion"}), _("Donnez votre avis"), "message-circle"),
)
OTHER_ACT = (_("Participez"), "megaphone")


@dataclass(frozen=True)
class Invitation:
    process: Process
    phase: Phase
    verb: Promise
    icon: str
    is_vote: bool
    is_near: bool

    @property
    def ends_at(self) -> datetime.datetime:
        return self.phase.ends_at


def _act(phase: Phase) -> tuple[Promise, str, bool] | None:
    kind = phase.phase_kind()
    allows = kind.allows if kind is not None else frozenset()
    if not allows:
        return None
    for acts, verb, icon in ACTS:
        if allows & acts:
            return verb, icon, "vote" in acts
    return OTHER_ACT[0], OTHER_ACT[1], False


def invitations(
    processes: Iterable[Process], near_ids: Iterable[int] = (), now: datetime.datetime | None = None
) -> list[Invitation]:
    """The acts open now in ``processes`` (phases prefetched; a process given twice counts
    once), most urgent first."""
    now = now or timezone.now()
    near = set(near_ids)
    found: list[Invitation] = []
    seen: set[int] = set()
    for process in processes:
        if process.pk in seen:
            continue
        seen.add(process.pk)
        phase = process.current_phase(now)
        act = _act(phase) if phase is not None else None
        if phase is None or act is None:
            continue
        verb, icon, is_vote = act
        found.append(Invitation(process, phase, verb, icon, is_vote, process.pk in near))
    return sorted(found, key=lambda i: (not i.is_vote, not i.is_near, i.ends_at, i.process.pk))


def by_urgency(processes: Iterable[Process], now: datetime.datetime | None = None) -> list[Process]:
    """Open processes with an act to do first (votes first), each group by its phase's end."""
    now = now or timezone.now()
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)

    def key(process: Process) -> tuple[int, datetime.datetime, int]:
        phase = process.current_phase(now)
        act = _act(phase) if phase is not None else None
        rank = 2 if act is None else (0 if act[2] else 1)
        return rank, phase.ends_at if phase is not None else far, process.pk

    return sorted(processes, key=key)
