"""Who may vote where, and when the vote is open, closed, frozen. Views and templates ask.

Which envelopes a person votes in: the city-wide envelope (if the budget has one) and the
envelope of their quartier. A person without a home quartier votes in the city-wide envelope
only, where the budget is not reserved to residents. This mirrors the paper lists of the
polling desks, where a voter signs once for the city and once for their quartier.

Their quartier is their ``home_territory`` (or its enclosing quartier) until their first
ballot in the budget; from then on it is the quartier stored on their voter record, whatever
they later declare in their profile (a self-declared field would otherwise open every
quartier envelope to one account). The database holds it too: one voter record per person,
budget and scope (``VoterRecord``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.budgets.models import Budget, Envelope, VoterRecord
from apps.budgets.voting import loading
from apps.core.models import Phase, Process, Role, Territory
from apps.core.phases import can_view_process
from apps.core.roles import has_role
from apps.core.rules_kit import phase_allows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser

MODULE = "budgets"
VOTE_KIND = "vote"
AGENTS = frozenset({Role.AGENT})


# --- phase and freeze ---------------------------------------------------------------------


def vote_phase(process: Process) -> Phase | None:
    """The vote phase of the budget (the first one if, oddly, there are several)."""
    return next(
        (phase for phase in process.ordered_phases() if phase.module == MODULE and phase.kind == VOTE_KIND), None
    )


def vote_is_open(budget: Budget, now: datetime.datetime | None = None) -> bool:
    return phase_allows(budget.process, MODULE, "vote", now)


def vote_is_closed(budget: Budget, now: datetime.datetime | None = None) -> bool:
    """True once the end of the vote phase is past (never when there is no vote phase)."""
    phase = vote_phase(budget.process)
    return phase is not None and (now or timezone.now()) >= phase.ends_at


def rules_frozen(budget: Budget) -> bool:
    """The ballot and eligibility rules can no longer change: the first ballot is cast.

    The configuration services must refuse any change of ``ballot_type``, ``max_choices``,
    ``min_spend_share``, ``points_per_voter``, ``max_points_per_project``,
    ``counting_rule``, ``completion``, ``min_age``, ``residents_only``,
    ``required_verification``, envelopes and the list of projects on the ballot once this
    is True (CONSUL #5321). Read from the database: another request may have just frozen it.
    """
    if budget.rules_frozen_at is not None:
        return True
    return Budget.objects.filter(pk=budget.pk, rules_frozen_at__isnull=False).exists()


# --- eligibility --------------------------------------------------------------------------


def home_quartier(user: Person) -> Territory | None:
    """The quartier a person lives in (their home territory, or its enclosing quartier)."""
    node: Territory | None = getattr(user, "home_territory", None)
    while node is not None and node.kind == Territory.Kind.MICRO:
        node = node.parent
    return node if node is not None and node.kind == Territory.Kind.QUARTIER else None


@dataclass(frozen=True)
class VotesInBudget:
    """The person's voter records in one budget: where they voted, and the quartier their
    first ballot fixed (None: not fixed yet)."""

    envelope_ids: frozenset[int]
    fixed_quartier_id: int | None


def votes_in_budget(user: Person, budget: Budget) -> VotesInBudget:
    """One query per person and budget, kept on the user object for the request (the ballot
    view and the cast service both ask); the cast service forgets it once it wrote."""
    cache: dict[int, VotesInBudget] = user.__dict__.setdefault("_budget_votes", {})
    found = cache.get(budget.pk)
    if found is None:
        found = cache[budget.pk] = _votes(loading.voter_records(user, budget))  # type: ignore[arg-type]
    return found


def _votes(rows: list[tuple[int, str, int | None]]) -> VotesInBudget:
    quartier = next((t for _e, scope, t in rows if scope == VoterRecord.Scope.QUARTIER), None)
    if quartier is None:  # a city-wide ballot fixed the quartier the person declared then
        quartier = next((t for _e, _s, t in rows if t is not None), None)
    return VotesInBudget(frozenset(e for e, _s, _t in rows), quartier)


def budget_for_voter(user: Person, slug: str) -> Budget | None:
    """The budget of the process ``slug`` (as ``loading.budget_by_slug``, fresh), with what
    eligibility asks of this person read at the same time: their home territory with its
    quartier and city (eligibility and the voter record walk up to them) and their voter records
    in it (as :func:`votes_in_budget`), one statement on PostgreSQL instead of three."""
    fields_cache = getattr(getattr(user, "_state", None), "fields_cache", {})
    home_pk = None if "home_territory" in fields_cache else getattr(user, "home_territory_id", None)
    user_pk = user.pk if user.is_authenticated else None
    found = loading.budget_for_voter(slug, user_pk=user_pk, home_pk=home_pk)
    if found is None:
        return None
    if found.home is not None:
        user.home_territory = found.home  # type: ignore[union-attr]
    if user_pk is not None:
        user.__dict__.setdefault("_budget_votes", {})[found.budget.pk] = _votes(found.records)
    return found.budget


def forget_votes(user: Person) -> None:
    user.__dict__.pop("_budget_votes", None)


def voting_quartier_id(user: Person, budget: Budget) -> int | None:
    """The quartier whose envelope this person votes in: fixed by their first ballot, else
    their declared home quartier."""
    if user.is_authenticated:
        fixed = votes_in_budget(user, budget).fixed_quartier_id
        if fixed is not None:
            return fixed
    quartier = home_quartier(user)
    return quartier.pk if quartier is not None else None


def lives_in_city(user: Person, budget: Budget) -> bool:
    home: Territory | None = getattr(user, "home_territory", None)
    if home is None:
        return False
    return budget.process.territory.root().pk in home.ancestor_ids()


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def eligible_envelopes(user: Person, budget: Budget) -> list[Envelope]:
    """The envelopes whose ballot this person may fill (see the module docstring)."""
    envelopes = list(budget.envelopes.select_related("territory"))
    quartier_id = voting_quartier_id(user, budget)
    return [
        e for e in envelopes if e.territory_id is None or (quartier_id is not None and e.territory_id == quartier_id)
    ]


def needs_birth_date(user: Person, budget: Budget) -> bool:
    return bool(budget.min_age) and getattr(user, "birth_date", None) is None


def ineligibility_reason(
    user: Person, envelope: Envelope, *, birth_date: datetime.date | None = None, ignore_phase: bool = False
) -> str | None:
    """Why ``user`` may not vote in ``envelope`` (a French sentence), or None when they may.

    ``birth_date`` is the one typed on the ballot page by a person who had not given it.
    """
    budget = envelope.budget
    if not user.is_authenticated or not user.is_active:
        return _("Connectez-vous pour voter.")
    if not budget.process.is_published:
        return _("Ce budget participatif n'est pas publié.")
    if not ignore_phase and not vote_is_open(budget):
        if vote_is_closed(budget):
            return _("Le vote est terminé.")
        return _("Le vote n'est pas ouvert.")
    if budget.residents_only and not lives_in_city(user, budget):
        return _(
            "Ce vote est réservé aux habitantes et habitants de la ville : indiquez votre quartier dans votre profil."
        )
    if envelope.territory_id is not None:
        fixed = votes_in_budget(user, budget).fixed_quartier_id
        if fixed is not None and fixed != envelope.territory_id:
            return _(
                "Votre vote dans ce budget reste attaché au quartier où vous avez voté la première fois : "
                "vous ne pouvez pas voter pour les projets d'un autre quartier."
            )
        quartier = home_quartier(user)
        if fixed is None and (quartier is None or quartier.pk != envelope.territory_id):
            return _("Vous votez pour les projets de votre quartier de résidence, pas pour ceux de ce quartier.")
    reason = verification_reason(user, budget)
    if reason is not None:
        return reason
    if budget.min_age:
        born = getattr(user, "birth_date", None) or birth_date
        if born is not None and age_on(born, timezone.localdate()) < budget.min_age:
            return _("Ce vote est ouvert à partir de %(age)s ans.") % {"age": budget.min_age}
    return None


# What each verification level means, in plain words, for the rules and the ballot page.
# A level added to ``User.Verification`` without a sentence here shows its label instead.
VERIFICATION_REQUIREMENTS = {
    "email": _lazy("un compte dont l'adresse électronique est confirmée (cliquez sur le lien reçu par courriel)"),
    "verified": _lazy(
        "un compte dont l'identité et l'adresse ont été vérifiées par la Ville "
        "(à un guichet de la mairie, avec un justificatif)"
    ),
}


def required_verification_text(budget: Budget) -> str:
    """What account the vote requires, in plain French (the rules and the ballot page)."""
    from apps.accounts.models import User

    level = budget.required_verification
    known = VERIFICATION_REQUIREMENTS.get(level)
    sentence = str(known) if known is not None else str(dict(User.Verification.choices).get(level, level)).lower()
    return _("Pour voter, il faut %(requirement)s.") % {"requirement": sentence}


def verification_reason(user: Person, budget: Budget) -> str | None:
    """The one place where the account's verification level is checked against the level the
    budget requires (the levels and their order belong to ``apps.accounts``)."""
    meets = getattr(user, "meets_verification", None)
    if meets is not None and meets(budget.required_verification):
        return None
    if budget.required_verification == "verified":
        return _(
            "Ce vote demande un compte vérifié par la Ville (identité et adresse) : "
            "présentez-vous dans une mairie annexe avec un justificatif, ou vérifiez votre adresse "
            "avec la liste électorale depuis votre espace."
        )
    return _(
        "Ce vote demande une adresse électronique confirmée : ouvrez le lien reçu par courriel "
        "à votre inscription, ou demandez-en un nouveau depuis votre espace."
    )


def can_vote(user: Person, envelope: Envelope) -> bool:
    """May fill (or change) their ballot now. A missing birth date is asked on the ballot
    page itself, so it does not make this False; the service checks it at the cast."""
    return ineligibility_reason(user, envelope) is None


def can_view_budget(user: Person, budget: Budget) -> bool:
    return can_view_process(user, budget.process)


# --- back office ----------------------------------------------------------------------------


def can_manage_vote(user: Person, budget: Budget) -> bool:
    """The vote's back office: turnout, paper sheets, closing and publication (agents of the
    process and administrators of its scope)."""
    return has_role(user, AGENTS, process=budget.process)


def can_enter_paper(user: Person, budget: Budget) -> bool:
    """Type paper sheets: agents of the process, from the opening of the vote until the
    results are published (sheets of the last day are typed after the close)."""
    phase = vote_phase(budget.process)
    started = phase is not None and timezone.now() >= phase.starts_at
    return can_manage_vote(user, budget) and started and budget.results_published_at is None


def can_publish_results(user: Person, budget: Budget) -> bool:
    return can_manage_vote(user, budget) and vote_is_closed(budget) and budget.results_published_at is None


# --- results --------------------------------------------------------------------------------


def results_visible(budget: Budget) -> bool:
    """Results are hidden from everyone, administrators included, until the vote closed and
    an agent published them."""
    return budget.results_published_at is not None and vote_is_closed(budget)


def can_view_results(user: Person, budget: Budget) -> bool:
    return can_view_budget(user, budget) and results_visible(budget)


def can_preview_results(user: Person, budget: Budget) -> bool:
    """The computed count before publication, for the agents who publish it: after the close only."""
    return can_manage_vote(user, budget) and vote_is_closed(budget)
