"""Matchfunding: residents and partners pledge money to a supported project, the call's fund
matches each euro received (ratio and caps of the call, out of its envelope).

Archipel records money, it does not take it: a pledge gets a payment reference, the money is
paid to the city's régie or a partner platform, and an agent reconciles it (one payment at the
counter, or the statement's CSV). Only a reconciled pledge counts, once: the pledge row is locked
and moved to « received » in the same transaction that writes its balanced ledger lines, and the
ledger holds one line per pledge and account. Rows are locked call → initiative → pledge, the
order of every service of the module."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.initiatives import rules
from apps.initiatives.models import ZERO, Call, Initiative, LedgerEntry, Pledge

if TYPE_CHECKING:
    from apps.accounts.models import User

# No 0/O, 1/I: a reference is read aloud at a counter.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_CSV_BYTES = 1_000_000


def new_reference() -> str:
    return "AR-" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def can_pledge(user: object, initiative: Initiative) -> bool:
    """A supported project of a call with matchfunding takes pledges from anyone signed in."""
    call = initiative.call
    return bool(
        getattr(user, "is_authenticated", False)
        and initiative.is_public
        and initiative.stage == Initiative.Stage.FUNDED
        and call is not None
        and call.match_ratio > ZERO
    )


@transaction.atomic
def pledge_create(*, donor: User, initiative: Initiative, amount: Decimal) -> Pledge:
    if not can_pledge(donor, initiative):
        raise ValidationError(_("Ce projet ne reçoit pas de promesses de dons."))
    if amount <= ZERO or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("Indiquez un montant en euros, par exemple 20 ou 20,50.")})
    pledge = Pledge(initiative=initiative, donor=donor, amount=amount, reference=new_reference())
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def pledge_receive(*, actor: User, reference: str, amount: Decimal) -> Pledge:
    """Reconcile one payment received for ``reference``: book the pledge and the fund's match."""
    found = Pledge.objects.filter(reference=reference.strip().upper()).values_list("initiative_id", flat=True).first()
    if found is None:
        raise ValidationError({"reference": _("Aucune promesse n'a cette référence.")})
    initiative = Initiative.objects.select_related("territory").get(pk=found)
    if initiative.call_id is None or not rules.can_manage(actor, initiative.territory):
        raise ValidationError(_("Ce projet n'est pas dans votre périmètre."))
    call = Call.objects.select_for_update(no_key=True).get(pk=initiative.call_id)
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    pledge = Pledge.objects.select_for_update().get(reference=reference.strip().upper())
    if pledge.state == Pledge.State.RECEIVED:
        raise ValidationError({"reference": _("Ce paiement est déjà rapproché : il n'est pas compté deux fois.")})
    if amount != pledge.amount:
        raise ValidationError(
            {"amount": _("Le montant reçu diffère de la promesse (%(amount)s €).") % {"amount": pledge.amount}}
        )
    match = _match(call, initiative, pledge)
    lines = [
        LedgerEntry(initiative=initiative, pledge=pledge, account=LedgerEntry.Account.DONORS, amount=-pledge.amount),
        LedgerEntry(
            initiative=initiative, pledge=pledge, account=LedgerEntry.Account.PROJECT, amount=pledge.amount + match
        ),
    ]
    if match > ZERO:
        lines.append(LedgerEntry(initiative=initiative, pledge=pledge, account=LedgerEntry.Account.FUND, amount=-match))
        call.committed += match
        call.save(update_fields=["committed"])
    for line in lines:
        line.save()
    pledge.state = Pledge.State.RECEIVED
    pledge.received_at = timezone.now()
    pledge.received_by = actor
    pledge.save(update_fields=["state", "received_at", "received_by"])
    return pledge


def _match(call: Call, initiative: Initiative, pledge: Pledge) -> Decimal:
    """The fund's part: the ratio, within the project's cap, the donor's cap and the envelope."""
    fund = LedgerEntry.Account.FUND
    matched = -(initiative.ledger.filter(account=fund).aggregate(total=Sum("amount"))["total"] or ZERO)
    wanted = (pledge.amount * call.match_ratio).quantize(Decimal("0.01"))
    limits = [wanted, call.remaining]
    if call.match_cap_project > ZERO:
        limits.append(call.match_cap_project - matched)
    if call.match_cap_donor > ZERO and pledge.donor_id is not None:
        given = (
            initiative.pledges.filter(donor_id=pledge.donor_id, state=Pledge.State.RECEIVED).aggregate(
                total=Sum("amount")
            )["total"]
            or ZERO
        )
        limits.append(((call.match_cap_donor - given) * call.match_ratio).quantize(Decimal("0.01")))
    return max(min(limits), ZERO)


@dataclass(frozen=True)
class Totals:
    donors: Decimal
    fund: Decimal
    pending: Decimal

    @property
    def total(self) -> Decimal:
        return self.donors + self.fund


def totals(initiative: Initiative) -> Totals:
    """The running total and its two parts, from the ledger (one query), and what is promised."""
    sums = initiative.ledger.aggregate(
        donors=Sum("amount", filter=Q(account=LedgerEntry.Account.DONORS)),
        fund=Sum("amount", filter=Q(account=LedgerEntry.Account.FUND)),
    )
    pending = initiative.pledges.filter(state=Pledge.State.PENDING).aggregate(total=Sum("amount"))["total"]
    return Totals(-(sums["donors"] or ZERO), -(sums["fund"] or ZERO), pending or ZERO)


@dataclass(frozen=True)
class Reconciliation:
    received: int
    errors: list[str]


def reconcile_csv(*, actor: User, data: bytes) -> Reconciliation:
    """The régie's statement: one payment a line, ``reference;amount`` (a header line is skipped).
    Each line is reconciled on its own; a bad line is reported, the others still count."""
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError({"statement": _("Le relevé dépasse 1 Mo.")})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError({"statement": _("Le relevé doit être un fichier CSV en UTF-8.")}) from error
    received, errors = 0, []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=";"), start=1):
        if not row or (number == 1 and row[0].strip().lower().startswith("ref")):
            continue
        try:
            if len(row) < 2:
                raise ValidationError(_("deux colonnes attendues : référence ; montant"))
            amount = _amount(row[1])
            pledge_receive(actor=actor, reference=row[0], amount=amount)
            received += 1
        except ValidationError as error:
            errors.append(_("Ligne %(n)d : %(message)s") % {"n": number, "message": " ".join(error.messages)})
    return Reconciliation(received, errors)


def _amount(text: str) -> Decimal:
    from apps.initiatives.forms import MONEY_RE

    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if not MONEY_RE.match(cleaned):
        raise ValidationError(_("montant illisible"))
    return Decimal(cleaned.replace(",", ".")).quantize(Decimal("0.01"))
