"""Appels à agir in sessions: dossiers gathered by cutoff day, examined together, every dossier
that meets the published criteria supported without a ranking vote.

The published rule when a session's dossiers ask for more than it may spend (``RULE_TEXT``, shown
on the call's page): **pro rata of the amounts asked**. Each conforming dossier receives
``available × asked ÷ total asked``, rounded down to the cent; the cents left by the rounding go
one by one to the dossiers in their order of filing (time presented to the call, then number).
Pro rata rather than first come: the dossiers of a session are examined together, so none loses
its support for having been filed an hour later than another, and nobody is ranked. It is
deterministic: the same dossiers and amounts always give the same grants, to the cent, and the
grants never exceed what the session may spend.

What a session may spend: the tranches released up to it (``CallSession.tranche``, in cutoff
order) minus what the call already granted, and never more than the envelope's remainder (which
matchfunding also draws on). What a session does not spend rolls to the next one.

Locks: the call row, then the session row, then the dossiers — the order of
:func:`apps.initiatives.services.decision_record` (call, then initiative), so no deadlock."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.models import audit
from apps.initiatives import rules
from apps.initiatives.models import ZERO, Call, CallSession, Decision, Initiative

if TYPE_CHECKING:
    from apps.accounts.models import User

CENT = Decimal("0.01")
RULE_TEXT = gettext_lazy(
    "Quand les dossiers conformes d'une session demandent ensemble plus que ce dont elle dispose, chacun reçoit "
    "une part proportionnelle à son montant demandé (disponible × demandé ÷ total demandé), arrondie au centime "
    "inférieur ; les centimes restants sont attribués un par un dans l'ordre de dépôt. Un dossier dont la part "
    "serait nulle est reporté à la session suivante."
)


# --- the pure rule ----------------------------------------------------------------------------


def allocate(available: Decimal, asked: Sequence[tuple[int, Decimal]]) -> tuple[str, dict[int, Decimal]]:
    """The grant of each dossier (``asked``: (pk, amount) in order of filing) from ``available``:
    everything asked when it fits, else pro rata rounded down, the remaining cents in filing order."""
    total = sum((amount for _pk, amount in asked), ZERO)
    if total <= available:
        return CallSession.Rule.FULL, dict(asked)
    shares = {pk: (available * amount / total).quantize(CENT, rounding=ROUND_DOWN) for pk, amount in asked}
    left = available - sum(shares.values(), ZERO)
    for pk, amount in asked:
        if left <= ZERO:
            break
        if shares[pk] < amount:
            shares[pk] += CENT
            left -= CENT
    return CallSession.Rule.PRO_RATA, shares


# --- reads ------------------------------------------------------------------------------------


def granted_total(call: Call) -> Decimal:
    total = Decision.objects.filter(call=call, outcome__in=Decision.GRANTING).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def available_for(call: Call, session: CallSession) -> Decimal:
    """What ``session`` may spend: the tranches up to it minus what the call granted, within the
    envelope's remainder. Read under the call's lock by the examination."""
    released = call.sessions.filter(cutoff__lte=session.cutoff).aggregate(total=Sum("tranche"))["total"] or ZERO
    return max(ZERO, min(released - granted_total(call), call.remaining))


def pending(session: CallSession) -> QuerySet[Initiative]:
    """The dossiers the session examines: presented to it, still without a decision, not closed
    (an idea merged into another project leaves the session with it)."""
    return Initiative.objects.filter(session=session, decision__isnull=True, stage=Initiative.Stage.CALL).order_by(
        "submitted_at", "pk"
    )


def session_for(call: Call, today: datetime.date) -> CallSession:
    """The session that will examine a dossier filed ``today``: the first not examined whose
    cutoff day has not passed. Its row is locked, so an examination running now is waited for."""
    candidates = list(
        CallSession.objects.select_for_update(no_key=True).filter(call=call, cutoff__gte=today).order_by("cutoff")
    )
    session = next((candidate for candidate in candidates if candidate.examined_at is None), None)
    if session is None:
        raise ValidationError({"call": _("Cet appel n'a plus de session à venir : les dépôts sont clos.")})
    return session


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def session_add(
    *, actor: User, call: Call, title: str, cutoff: datetime.date, examines_on: datetime.date, tranche: Decimal
) -> CallSession:
    call = _call_to_plan(actor, call)
    _check_plan(call, None, cutoff=cutoff, examines_on=examines_on, tranche=tranche, new_cutoff=True)
    session = CallSession(call=call, title=title.strip(), cutoff=cutoff, examines_on=examines_on, tranche=tranche)
    session.full_clean()
    session.save()
    audit(actor, "initiatives.session_add", call, session=session.pk, tranche=str(tranche))
    return session


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: CallSession,
    title: str,
    cutoff: datetime.date,
    examines_on: datetime.date,
    tranche: Decimal,
) -> CallSession:
    """Correct a session before it is examined (a typo in a date, a tranche to move). Its cutoff
    stays once a dossier waits for it: the holders filed on the date they read."""
    call = _call_to_plan(actor, session.call)
    session = CallSession.objects.select_for_update(no_key=True).get(pk=session.pk, call=call)
    if session.examined_at is not None:
        raise ValidationError(_("Une session examinée ne change plus : ses décisions sont publiées."))
    new_cutoff = cutoff != session.cutoff
    if new_cutoff and Initiative.objects.filter(session=session).exists():
        raise ValidationError(
            {
                "cutoff": _(
                    "Des dossiers attendent déjà cette session : sa date limite de dépôt ne change plus "
                    "(les porteur·ses l'ont lue en déposant)."
                )
            }
        )
    # An unchanged cutoff may be past already (dossiers waiting, the examination postponed).
    _check_plan(call, session, cutoff=cutoff, examines_on=examines_on, tranche=tranche, new_cutoff=new_cutoff)
    before = {"cutoff": str(session.cutoff), "examines_on": str(session.examines_on), "tranche": str(session.tranche)}
    session.title, session.cutoff, session.examines_on, session.tranche = title.strip(), cutoff, examines_on, tranche
    session.full_clean()
    session.save()
    audit(actor, "initiatives.session_update", call, session=session.pk, before=before, tranche=str(tranche))
    return session


def _call_to_plan(actor: User, call: Call) -> Call:
    call = Call.objects.select_for_update(no_key=True).get(pk=call.pk)
    if not rules.can_manage_call(actor, call):
        raise ValidationError(_("Cet appel n'est pas dans votre périmètre."))
    if call.mode != Call.Mode.SESSIONS:
        raise ValidationError(_("Seul un appel à agir en sessions a des sessions."))
    return call


def _check_plan(
    call: Call,
    session: CallSession | None,
    *,
    cutoff: datetime.date,
    examines_on: datetime.date,
    tranche: Decimal,
    new_cutoff: bool,
) -> None:
    """The calendar and the envelope stay coherent with ``session`` (None: a new one) planned as
    given; a ``new_cutoff`` must also fall in the call's filing period, in the future, unshared."""
    others = call.sessions.exclude(pk=session.pk) if session is not None else call.sessions.all()
    if tranche != tranche.quantize(CENT):
        raise ValidationError(
            {"tranche": _("Indiquez un montant en euros avec au plus deux chiffres après la virgule.")}
        )
    if new_cutoff:
        if not call.opens_on <= cutoff <= call.closes_on:
            raise ValidationError(
                {"cutoff": _("La date limite de dépôt doit tomber pendant la période de dépôt de l'appel.")}
            )
        if cutoff < timezone.localdate():
            raise ValidationError(
                {"cutoff": _("La date limite de dépôt d'une nouvelle session ne peut pas être passée.")}
            )
        if others.filter(cutoff=cutoff).exists():
            raise ValidationError({"cutoff": _("Une session de cet appel a déjà cette date limite.")})
    if examines_on < cutoff:
        raise ValidationError({"examines_on": _("L'examen a lieu après la date limite de dépôt.")})
    planned = others.aggregate(total=Sum("tranche"))["total"] or ZERO
    if planned + tranche > call.budget:
        raise ValidationError(
            {
                "tranche": _("Les sessions dépasseraient l'enveloppe : il reste %(left)s € à répartir.")
                % {"left": call.budget - planned}
            }
        )


def _reasons(session: CallSession, rule: str, available: Decimal, total: Decimal, asked: Decimal, note: str) -> str:
    if rule == CallSession.Rule.FULL:
        text = _(
            "Dossier conforme aux critères publiés, examiné à la session « %(session)s » : les dossiers conformes "
            "demandaient %(total)s € pour %(available)s € disponibles ; chacun reçoit le montant demandé."
        )
    else:
        text = _(
            "Dossier conforme aux critères publiés, examiné à la session « %(session)s » : les dossiers conformes "
            "demandaient %(total)s € pour %(available)s € disponibles ; règle publiée de l'appel : répartition au "
            "prorata des montants demandés (%(asked)s € demandés ici), arrondie au centime inférieur, les centimes "
            "restants attribués dans l'ordre de dépôt."
        )
    text = text % {"session": session.title, "total": total, "available": available, "asked": asked}
    return f"{text} {note.strip()}".strip()


@transaction.atomic
def session_examine(
    *, actor: User, session: CallSession, conforming: Iterable[Initiative], note: str = ""
) -> list[Decision]:
    """Examine a session once its cutoff day has passed: every dossier still without a decision
    must be declared conforming (refuse or redirect the others first, with their reasons); each
    gets its grant by the published rule. Run twice at once, the second waits for the first's
    lock and finds the session examined."""
    from apps.initiatives import services

    # FOR NO KEY UPDATE, as every lock of a call or a session: a holder filing now holds the
    # sessions' lock (``session_for``) and then writes a dossier pointing at the call, which takes
    # a key-share lock on the call's row; a plain FOR UPDATE here would wait for them while they
    # wait for it (a deadlock CI met). The lockers still exclude each other.
    call = Call.objects.select_for_update(no_key=True).get(pk=session.call_id)
    session = CallSession.objects.select_for_update(no_key=True).get(pk=session.pk)
    if not rules.can_manage_call(actor, call):
        raise ValidationError(_("Cet appel n'est pas dans votre périmètre."))
    if session.examined_at is not None:
        raise ValidationError(_("Cette session a déjà été examinée."))
    if timezone.localdate() <= session.cutoff:
        raise ValidationError(
            _("Les dépôts de cette session sont ouverts jusqu'au %(day)s inclus : examinez-la ensuite.")
            % {"day": session.cutoff.strftime("%d/%m/%Y")}
        )
    earlier = call.sessions.filter(cutoff__lt=session.cutoff, examined_at__isnull=True).first()
    if earlier is not None:
        raise ValidationError(
            _("Examinez d'abord la session « %(title)s » : ce qu'elle laisse revient à celle-ci.")
            % {"title": earlier.title}
        )
    dossiers = list(pending(session).select_for_update(of=("self",)))
    declared = {initiative.pk for initiative in conforming}
    undeclared = [dossier.title for dossier in dossiers if dossier.pk not in declared]
    if undeclared:
        raise ValidationError(
            {
                "conforming": _(
                    "Chaque dossier sans décision doit être déclaré conforme ; refusez ou réorientez d'abord, avec "
                    "leurs motifs, ceux qui ne remplissent pas les critères : %(titles)s."
                )
                % {"titles": ", ".join(f"« {title} »" for title in undeclared)}
            }
        )
    available = available_for(call, session)
    asked = [(dossier.pk, dossier.amount_requested) for dossier in dossiers]
    total = sum((amount for _pk, amount in asked), ZERO)
    rule, shares = allocate(available, asked)
    later = call.sessions.filter(cutoff__gt=session.cutoff, examined_at__isnull=True).order_by("cutoff").first()
    decisions = []
    for dossier in dossiers:
        share = shares[dossier.pk]
        if share <= ZERO:
            # Nothing left for it in this session: examined again at the next one, else redirected.
            if later is not None:
                Initiative.objects.filter(pk=dossier.pk).update(session=later)
                continue
            decisions.append(
                services.decision_record(
                    actor=actor,
                    initiative=dossier,
                    outcome=Decision.Outcome.REDIRECTED,
                    amount=ZERO,
                    reasons=_(
                        "Dossier conforme, mais l'enveloppe de l'appel est épuisée à sa dernière session : "
                        "votre référent·e vous oriente vers d'autres ressources."
                    ),
                )
            )
            continue
        decisions.append(
            services.decision_record(
                actor=actor,
                initiative=dossier,
                outcome=Decision.Outcome.ACCEPTED,
                amount=share,
                reasons=_reasons(session, rule, available, total, dossier.amount_requested, note),
                session=session,
            )
        )
    session.examined_at = timezone.now()
    session.examined_by = actor
    session.available = available
    session.requested = total
    session.granted = sum((shares[d.pk] for d in dossiers if shares[d.pk] > ZERO), ZERO)
    session.rule = rule
    session.save(update_fields=["examined_at", "examined_by", "available", "requested", "granted", "rule"])
    audit(actor, "initiatives.session_examine", call, session=session.pk, rule=rule, granted=str(session.granted))
    return decisions
