"""The content of a ballot and its validation, the same for online and paper ballots.

A ballot's content is a mapping ``project pk -> value``: 1 for an approval or a knapsack
ballot, the points given for a cumulative ballot, the rank (1 = first choice) for a ranked
ballot. Validation returns French messages; both the form and the service use it.
"""

from __future__ import annotations

import copy
import html
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.formats import number_format
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.budgets.models import BallotType, Budget, Envelope, Project, ProjectStatus
from apps.core.covers import COVER_FIELDS

Choices = dict[int, int]

# Statuses of the projects that appear on the ballot (and, after the count, in the results).
ON_BALLOT = (ProjectStatus.FEASIBLE, ProjectStatus.SELECTED, ProjectStatus.NOT_SELECTED)


def ballot_projects(envelope: Envelope) -> QuerySet[Project]:
    return Project.objects.filter(envelope=envelope, status__in=ON_BALLOT).order_by("ballot_number", "pk")


# --- the ballot definition of an envelope, cached once the rules are frozen ------------------

# What a ballot needs of a project (the vote pages show nothing else of it): its picture and a
# short summary sit on the ballot line, so a voter on a phone need not open every project.
_DEFINITION_FIELDS = (
    "id",
    "budget",
    "envelope",
    "title",
    "estimated_cost",
    "city_cost",
    "ballot_number",
    "status",
    "description_html",
    *COVER_FIELDS,
)
SUMMARY_WORDS = 30
# Bound on the number of cached definitions (a worker serves few budgets at a time).
DEFINITION_CACHE_SIZE = 256


@dataclass(frozen=True)
class BallotDefinition:
    """An envelope and the projects on its ballot, in ballot order. Shared between requests
    once cached: treat as read-only, and take the envelope through :meth:`envelope_for`."""

    envelope: Envelope
    projects: tuple[Project, ...]

    def envelope_for(self, budget: Budget) -> Envelope:
        """A private copy of the envelope, attached to this request's ``budget``."""
        envelope = copy.copy(self.envelope)  # own field cache: setting ``budget`` stays private
        envelope.budget = budget
        return envelope


_definitions: OrderedDict[tuple[Any, ...], BallotDefinition] = OrderedDict()
_definitions_lock = threading.Lock()


def _load_definition(budget: Budget, envelope_pk: int) -> BallotDefinition | None:
    envelope = Envelope.objects.select_related("territory").filter(budget_id=budget.pk, pk=envelope_pk).first()
    if envelope is None:
        return None
    projects = tuple(ballot_projects(envelope).only(*_DEFINITION_FIELDS))
    for project in projects:
        # The summary stays in the cached definition, the long description does not.
        project.ballot_summary = Truncator(html.unescape(strip_tags(project.description_html))).words(SUMMARY_WORDS)  # type: ignore[attr-defined]
        project.__dict__.pop("description_html", None)
    return BallotDefinition(envelope=envelope, projects=projects)


def ballot_definition(budget: Budget, envelope_pk: int) -> BallotDefinition | None:
    """The envelope ``envelope_pk`` of ``budget`` and its ballot projects (None: no such envelope).

    Once the first ballot froze the rules (``rules_frozen_at``), neither the envelopes nor the
    list of projects on the ballot may change: the services that change them lock the budget
    row and refuse once it is frozen (``apps.budgets.projects``), and the freeze waits for
    their lock, so a definition read after the freeze is final. It is kept in this worker,
    keyed by budget, **freeze time** and envelope, with no expiry: the freeze is the
    invalidation (a budget frozen anew, with another ``rules_frozen_at``, never meets an old
    entry; nothing is cached before the freeze, or after an unfreeze). Any save or deletion
    of a project or an envelope in this process also empties the cache.
    """
    frozen = budget.rules_frozen_at
    if frozen is None:
        return _load_definition(budget, envelope_pk)
    key = (budget.pk, frozen.isoformat(), envelope_pk)
    with _definitions_lock:
        found = _definitions.get(key)
        if found is not None:
            _definitions.move_to_end(key)
            return found
    definition = _load_definition(budget, envelope_pk)
    if definition is not None:
        with _definitions_lock:
            _definitions[key] = definition
            _definitions.move_to_end(key)
            while len(_definitions) > DEFINITION_CACHE_SIZE:
                _definitions.popitem(last=False)
    return definition


def clear_definitions(**_kwargs: Any) -> None:
    with _definitions_lock:
        _definitions.clear()


for _model in (Project, Envelope):
    post_save.connect(clear_definitions, sender=_model, dispatch_uid=f"ballot-definitions-save-{_model.__name__}")
    post_delete.connect(clear_definitions, sender=_model, dispatch_uid=f"ballot-definitions-delete-{_model.__name__}")


def euros(amount: int) -> str:
    return _("%(amount)s €") % {"amount": number_format(amount, decimal_pos=0, force_grouping=True)}


@dataclass(frozen=True)
class Totals:
    """What the running total shows: money chosen and left, points given and left."""

    cost: int
    left: int
    remaining: int  # what is left of the envelope (0 when over it)
    over: int  # by how much the ballot exceeds the envelope (0 when it fits)
    count: int
    points: int
    points_left: int | None


def totals(budget: Budget, envelope: Envelope, projects: Iterable[Project], choices: Mapping[int, int]) -> Totals:
    cost = sum(p.cost for p in projects if choices.get(p.pk))
    points = sum(v for v in choices.values() if v > 0)
    points_left = (budget.points_per_voter or 0) - points if budget.ballot_type == BallotType.CUMULATIVE else None
    return Totals(
        cost=cost,
        left=envelope.amount - cost,
        remaining=max(0, envelope.amount - cost),
        over=max(0, cost - envelope.amount),
        count=sum(1 for v in choices.values() if v > 0),
        points=points,
        points_left=points_left,
    )


def minimum_spend(budget: Budget, envelope: Envelope, projects: Iterable[Project]) -> int:
    """The least a knapsack ballot must spend: the budget's share of the envelope, but
    never more than all the projects together cost (else nobody could comply)."""
    if budget.ballot_type != BallotType.KNAPSACK or not budget.min_spend_share:
        return 0
    wanted = envelope.amount * budget.min_spend_share // 100
    return min(wanted, sum(p.cost for p in projects))


def validate(budget: Budget, envelope: Envelope, projects: list[Project], choices: Mapping[int, int]) -> list[str]:
    """French messages of everything wrong with ``choices`` (empty when the ballot is valid)."""
    # ``id`` rather than ``pk`` (a property, one more call per project): run twice per ballot POST.
    by_pk = {p.id: p for p in projects}
    errors: list[str] = []
    if any(pk not in by_pk for pk in choices):
        errors.append(_("Un des projets choisis n'est pas sur ce bulletin."))
        return errors
    chosen = {pk: value for pk, value in choices.items() if value > 0}
    if any(value < 0 for value in choices.values()):
        errors.append(_("Les nombres doivent être positifs."))
    if not chosen:
        errors.append(_("Choisissez au moins un projet."))
        return errors
    kind = budget.ballot_type
    limited = kind in (BallotType.APPROVAL, BallotType.KNAPSACK, BallotType.RANKED) and budget.max_choices
    if limited and len(chosen) > (budget.max_choices or 0):
        errors.append(
            ngettext(
                "Vous pouvez choisir %(max)s projet au plus ; vous en avez choisi %(count)s.",
                "Vous pouvez choisir %(max)s projets au plus ; vous en avez choisi %(count)s.",
                budget.max_choices or 0,
            )
            % {"max": budget.max_choices, "count": len(chosen)}
        )
    if kind == BallotType.KNAPSACK:
        cost = sum(by_pk[pk].cost for pk in chosen)
        if cost > envelope.amount:
            errors.append(
                _("Le total de vos projets (%(cost)s) dépasse l'enveloppe de %(amount)s : retirez un projet.")
                % {"cost": euros(cost), "amount": euros(envelope.amount)}
            )
        least = minimum_spend(budget, envelope, projects)
        if cost < least:
            errors.append(
                _("Votre panier doit atteindre au moins %(least)s (vous êtes à %(cost)s) : ajoutez un projet.")
                % {"least": euros(least), "cost": euros(cost)}
            )
    elif kind == BallotType.CUMULATIVE:
        total = sum(chosen.values())
        allowed = budget.points_per_voter or 0
        if total > allowed:
            errors.append(
                _("Vous avez donné %(total)s points ; vous en avez %(allowed)s à répartir.")
                % {"total": total, "allowed": allowed}
            )
        cap = budget.max_points_per_project
        if cap and any(value > cap for value in chosen.values()):
            errors.append(_("Un projet peut recevoir %(cap)s points au plus.") % {"cap": cap})
    elif kind == BallotType.RANKED:
        ranks = sorted(chosen.values())
        if len(set(ranks)) != len(ranks):
            errors.append(_("Deux projets ont le même rang : chaque rang ne sert qu'une fois."))
        elif ranks != list(range(1, len(ranks) + 1)):
            errors.append(_("Classez vos projets à partir de 1, sans sauter de rang (1, 2, 3…)."))
    return errors


def normalise(budget: Budget, choices: Mapping[int, int]) -> Choices:
    """Keep the chosen projects only, with the value the ballot type stores."""
    chosen = {pk: value for pk, value in choices.items() if value > 0}
    if budget.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK):
        return dict.fromkeys(sorted(chosen), 1)
    return dict(sorted(chosen.items()))
