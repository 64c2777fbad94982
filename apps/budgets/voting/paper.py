"""Paper ballots, typed twice by two different agents (double entry).

1. A first agent types the sheet: its number, the choices, and the voter's identity as
   checked at the desk (name and birth date). The identity is turned at once into a keyed
   digest (HMAC under ``BALLOT_LOCATOR_KEY``); the name is never stored.
2. A second agent, who does not see the first entry, types the same sheet again. Equal
   entries confirm the sheet: a paper ``VoterRecord`` (unique per digest, budget and scope,
   so one person cannot vote twice on paper, nor in two quartiers) and a ``Ballot`` are
   written, and the sheet forgets both the digest and the choices: kept together they would
   name the paper voter's choices to anyone holding the key (docs/BALLOT_SECRECY.md). The
   audit log says that sheet n° X was confirmed, never what it held. Different entries put
   the sheet in dispute: another agent than the first one looks at the paper again and
   types the right entry; until then the sheet keeps both entries.
3. A sheet that cannot be counted (unreadable, too many projects, no identity) is void,
   with a reason.

Known limit: a paper voter cannot be matched with an online account (the online record
holds an account, the paper record a digest of name and birth date). The polling desk
checks the printed list of online voters; the digests keep paper voters unique.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.budgets.models import Ballot, Budget, Envelope, PaperSheet, VoterRecord
from apps.budgets.voting import ballots, rules
from apps.budgets.voting.services import freeze_rules, new_receipt, write_choices
from apps.core import participation
from apps.core.models import audit


def _normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.replace("-", " ").split())


def paper_identity(budget: Budget, name: str, birth_date: datetime.date) -> str:
    """The keyed digest of a paper voter: same person, same digest, for one budget."""
    key = f"paper-identity:{settings.BALLOT_LOCATOR_KEY}".encode()
    message = f"{budget.pk}:{_normalise_name(name)}:{birth_date.isoformat()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _entry(budget: Budget, choices: ballots.Choices, name: str, birth_date: datetime.date) -> dict[str, Any]:
    return {
        "choices": {str(pk): value for pk, value in ballots.normalise(budget, choices).items()},
        "identity": paper_identity(budget, name, birth_date),
    }


def _check_choices(envelope: Envelope, choices: ballots.Choices) -> None:
    errors = ballots.validate(envelope.budget, envelope, list(ballots.ballot_projects(envelope)), choices)
    if errors:
        raise ValidationError(errors)


def _already_voted(envelope: Envelope, identity: str) -> bool:
    return VoterRecord.objects.filter(
        budget_id=envelope.budget_id, paper_identity=identity, scope=VoterRecord.scope_of(envelope)
    ).exists()


def _check_agent(agent: User, budget: Budget) -> None:
    if not rules.can_enter_paper(agent, budget):
        raise PermissionDenied


def _check_not_confirmed_voter(envelope: Envelope, identity: str) -> None:
    if _already_voted(envelope, identity):
        raise ValidationError(
            _("Cette personne a déjà un bulletin papier compté dans cette enveloppe : le bulletin est nul.")
        )


@transaction.atomic
def paper_first_entry(
    *,
    agent: User,
    envelope: Envelope,
    number: str,
    choices: ballots.Choices,
    voter_name: str,
    voter_birth_date: datetime.date,
) -> PaperSheet:
    budget = envelope.budget
    _check_agent(agent, budget)
    number = number.strip()
    if PaperSheet.objects.filter(envelope=envelope, number=number).exists():
        raise ValidationError(_("Le bulletin n° %(number)s est déjà saisi dans cette enveloppe.") % {"number": number})
    _check_choices(envelope, choices)
    entry = _entry(budget, choices, voter_name, voter_birth_date)
    _check_not_confirmed_voter(envelope, entry["identity"])
    sheet = PaperSheet(envelope=envelope, number=number, first_entry=entry, first_by=agent)
    sheet.full_clean()
    sheet.save()
    audit(agent, "budget.paper_first_entry", sheet, envelope=str(envelope))
    return sheet


def _confirm(sheet: PaperSheet, entry: dict[str, Any], agent: User) -> None:
    envelope = sheet.envelope
    budget = envelope.budget
    try:
        with transaction.atomic():
            VoterRecord.objects.create(
                budget=budget,
                scope=VoterRecord.scope_of(envelope),
                envelope=envelope,
                paper_identity=entry["identity"],
                channel=VoterRecord.Channel.PAPER,
                territory=envelope.territory,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Cette personne a déjà un bulletin papier compté dans cette enveloppe : le bulletin est nul.")
        ) from error
    ballot = Ballot.objects.create(envelope=envelope, locator=None, receipt=new_receipt())
    write_choices(ballot, budget, {int(pk): value for pk, value in entry["choices"].items()})
    # The envelope, never the choices (no field for them).
    participation.record(
        module="budgets",
        kind="ballot",
        person=None,
        process=budget.process,
        channel=participation.PAPER,
        territory=envelope.territory,
    )
    # Counted: the sheet keeps neither the choices nor the digest, nor a link to the ballot.
    sheet.first_entry = {}
    sheet.second_entry = None
    sheet.second_by = agent
    sheet.state = PaperSheet.State.CONFIRMED
    sheet.save(update_fields=["first_entry", "second_entry", "second_by", "state"])
    if budget.rules_frozen_at is None:
        freeze_rules(budget)


def _sheet_for_second_agent(
    agent: User, sheet: PaperSheet, state: str, *, wrong_state: str, same_agent: str
) -> PaperSheet:
    """The sheet, locked, after checking that it is in ``state`` and that ``agent`` is an agent of
    the budget other than the one who typed the first entry (the point of double entry)."""
    sheet = PaperSheet.objects.select_for_update().select_related("envelope__budget").get(pk=sheet.pk)
    _check_agent(agent, sheet.envelope.budget)
    if sheet.state != state:
        raise ValidationError(wrong_state)
    if sheet.first_by_id == agent.pk:
        raise PermissionDenied(same_agent)
    return sheet


@transaction.atomic
def paper_second_entry(
    *,
    agent: User,
    sheet: PaperSheet,
    choices: ballots.Choices,
    voter_name: str,
    voter_birth_date: datetime.date,
) -> PaperSheet:
    """The blind second entry: confirms the sheet when it equals the first, else disputes it."""
    sheet = _sheet_for_second_agent(
        agent,
        sheet,
        PaperSheet.State.FIRST_ENTRY,
        wrong_state=_("Ce bulletin n'attend plus de seconde saisie."),
        same_agent=_("La seconde saisie doit être faite par une autre personne que la première."),
    )
    envelope = sheet.envelope
    _check_choices(envelope, choices)
    entry = _entry(envelope.budget, choices, voter_name, voter_birth_date)
    if entry == sheet.first_entry:
        _confirm(sheet, entry, agent)
        audit(agent, "budget.paper_confirmed", sheet, envelope=str(envelope))
    else:
        sheet.second_entry = entry
        sheet.second_by = agent
        sheet.state = PaperSheet.State.DISPUTED
        sheet.save(update_fields=["second_entry", "second_by", "state"])
        audit(agent, "budget.paper_disputed", sheet, envelope=str(envelope))
    return sheet


@transaction.atomic
def paper_resolve(
    *,
    agent: User,
    sheet: PaperSheet,
    choices: ballots.Choices,
    voter_name: str,
    voter_birth_date: datetime.date,
) -> PaperSheet:
    """A disputed sheet, read again on paper by another agent than the first: their entry counts."""
    sheet = _sheet_for_second_agent(
        agent,
        sheet,
        PaperSheet.State.DISPUTED,
        wrong_state=_("Ce bulletin n'est pas en litige."),
        same_agent=_("Le litige doit être tranché par une autre personne que la première saisie."),
    )
    envelope = sheet.envelope
    _check_choices(envelope, choices)
    entry = _entry(envelope.budget, choices, voter_name, voter_birth_date)
    _confirm(sheet, entry, agent)
    audit(agent, "budget.paper_resolved", sheet, envelope=str(envelope))
    return sheet


@transaction.atomic
def paper_void(
    *, agent: User, envelope: Envelope, number: str, reason: str, sheet: PaperSheet | None = None
) -> PaperSheet:
    """Declare a sheet void: a new sheet number, or a sheet not yet counted."""
    _check_agent(agent, envelope.budget)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif de nullité."))
    if sheet is None:
        sheet = PaperSheet.objects.filter(envelope=envelope, number=number.strip()).first()
    if sheet is None:
        sheet = PaperSheet(envelope=envelope, number=number.strip(), first_entry={}, first_by=agent)
    elif sheet.state == PaperSheet.State.CONFIRMED:
        raise ValidationError(_("Ce bulletin est déjà compté : il ne peut plus être déclaré nul."))
    sheet.state = PaperSheet.State.VOID
    sheet.void_reason = reason[:200]
    # No identity is kept for a void sheet.
    sheet.first_entry = {"choices": (sheet.first_entry or {}).get("choices", {})}
    if sheet.second_entry:
        sheet.second_entry = {"choices": sheet.second_entry.get("choices", {})}
    sheet.full_clean()
    sheet.save()
    audit(agent, "budget.paper_void", sheet, envelope=str(envelope), reason=sheet.void_reason)
    return sheet


def entries_differences(sheet: PaperSheet) -> dict[str, bool]:
    """For the review of a disputed sheet: which parts differ (choices, identity)."""
    first = sheet.first_entry or {}
    second = sheet.second_entry or {}
    return {
        "choices": first.get("choices") != second.get("choices"),
        "identity": first.get("identity") != second.get("identity"),
    }
