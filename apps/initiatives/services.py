"""Writes of the initiatives module. Keyword-only, validated, atomic, audited.

Two requests may race on a call's envelope (fifty agents accepting at once in an appel à agir)
or on a decision's payments: both lock the call row first, then the decision row, always in this
order (Saleor's ``lock_objects.py`` reasoning: one order, no deadlock), and the check constraints
on ``Call.committed`` and ``Decision.paid`` refuse what a bug would let through."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.core.backoffice_kit import AGENTS, scope_for
from apps.core.models import Territory, audit
from apps.followup.models import Commitment
from apps.followup.services import can_edit_commitments, commitment_from_source, commitment_update
from apps.initiatives import rules, sessions
from apps.initiatives.models import (
    HELP_FIELDS,
    ZERO,
    Call,
    CallSession,
    Channel,
    Decision,
    Initiative,
    JuryMember,
    Payment,
    Resource,
    Step,
)
from apps.notifications.models import Notification
from apps.notifications.services import followers_of, notify
from apps.sittings.models import Sitting
from apps.sittings.services import sitting_create
from apps.sortition import selectors as sortition

if TYPE_CHECKING:
    from apps.accounts.models import User

# The deadline the city sets for naming a referent (working days are the city's business: this is
# a plain number of days, from the settings).
DEFAULT_REFERENT_DAYS = 5
CENT = Decimal("0.01")


def referent_days() -> int:
    return int(getattr(settings, "INITIATIVES_REFERENT_DAYS", DEFAULT_REFERENT_DAYS))


def _step(
    initiative: Initiative, kind: str, actor: User | None, note: str = "", at: datetime.datetime | None = None
) -> Step:
    return Step.objects.create(initiative=initiative, kind=kind, at=at or timezone.now(), actor=actor, note=note)


def _news(initiative: Initiative, title: str, actor: User | None) -> None:
    """Tell the followers of a public initiative (and its holder) of a public step."""
    if initiative.is_public:
        notify(
            user_ids=followers_of(initiative),
            kind=Notification.Kind.STATUS,
            title=title,
            url=initiative.get_absolute_url(),
            exclude=actor.pk if actor is not None else None,
        )


def _within(territory: Territory, area: Territory) -> bool:
    """Whether ``territory`` is ``area`` or one of its sub-territories."""
    node: Territory | None = territory
    while node is not None:
        if node.pk == area.pk:
            return True
        node = node.parent
    return False


def _money(value: Decimal, field: str) -> Decimal:
    if value != value.quantize(CENT):
        raise ValidationError({field: _("Indiquez un montant en euros avec au plus deux chiffres après la virgule.")})
    return value.quantize(CENT)


# --- the open door ---------------------------------------------------------------------------


@transaction.atomic
def initiative_file(
    *,
    title: str,
    description: str,
    place: str,
    territory: Territory,
    who: str,
    category: str,
    helps: Iterable[str],
    is_public: bool,
    holder: User | None = None,
    filed_by: User | None = None,
    channel: str = Channel.ONLINE,
    holder_name: str = "",
    holder_contact: str = "",
) -> Initiative:
    """File an idea: online by its holder, or by an agent after a conversation (the channel says
    where), for a person who may have no account (a name and a contact then)."""
    helps = set(helps)
    unknown = helps - set(HELP_FIELDS)
    if unknown:
        raise ValidationError(_("Type d'aide inconnu."))
    if channel == Channel.ONLINE and holder is None:
        raise ValidationError(_("Une idée déposée en ligne a un·e porteur·se connecté·e."))
    if channel != Channel.ONLINE:
        if filed_by is None or not rules.can_manage(filed_by, territory):
            raise ValidationError(_("Seul·e un·e agent·e du quartier enregistre une idée reçue hors ligne."))
        if holder is None and not holder_name.strip():
            raise ValidationError({"holder_name": _("Indiquez le nom de la personne qui porte l'idée.")})
    now = timezone.now()
    initiative = Initiative(
        title=title.strip(),
        description=description.strip(),
        place=place.strip(),
        territory=territory,
        who=who.strip(),
        category=category,
        is_public=is_public,
        channel=channel,
        holder=holder,
        holder_name=holder_name.strip(),
        holder_contact=holder_contact.strip(),
        # Set for an idea an agent typed; an idea filed online is its holder's alone.
        filed_by=filed_by if channel != Channel.ONLINE else None,
        referent_due=now + datetime.timedelta(days=referent_days()),
        **{name: kind in helps for kind, name in HELP_FIELDS.items()},
    )
    initiative.full_clean()
    initiative.save()
    # Steps name the staff who acted; the holder's own acts are theirs, shown without a name.
    _step(initiative, Step.Kind.FILED, initiative.filed_by, at=now)
    audit(filed_by or holder, "initiative.file", initiative, channel=channel)
    return initiative


@transaction.atomic
def referent_assign(*, actor: User, initiative: Initiative, referent: User) -> Initiative:
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not rules.can_manage(referent, initiative.territory):
        raise ValidationError({"referent": _("Le ou la référent·e doit être agent·e de ce quartier.")})
    now = timezone.now()
    initiative.referent = referent
    if initiative.referent_assigned_at is None:
        initiative.referent_assigned_at = now
    if initiative.stage == Initiative.Stage.FILED:
        initiative.stage = Initiative.Stage.ROUTING
    initiative.save(update_fields=["referent", "referent_assigned_at", "stage"])
    # The referent is named by the link, never copied into a note (a deleted account leaves no name).
    _step(initiative, Step.Kind.REFERENT, actor, at=now)
    audit(actor, "initiative.referent", initiative, referent=referent.pk)
    return initiative


STEP_KINDS = (Step.Kind.CONTACT, Step.Kind.ROUTED, Step.Kind.NOTE, Step.Kind.REALISED)


@transaction.atomic
def step_record(
    *, actor: User, initiative: Initiative, kind: str, note: str = "", resources: Iterable[Resource] = ()
) -> Step:
    """A step of the journey: the first contact (its date is what the holder waited for), an
    orientation to resources of the directory, a note, the realisation."""
    if kind not in STEP_KINDS:
        raise ValidationError({"kind": _("Étape inconnue.")})
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    names = [resource.name for resource in resources]
    if kind == Step.Kind.ROUTED and not names and not note.strip():
        raise ValidationError(
            {"resources": _("Cochez au moins une ressource ou écrivez vers qui l'idée est orientée.")}
        )
    if kind == Step.Kind.NOTE and not note.strip():
        raise ValidationError({"note": _("Écrivez ce qui a été fait ou convenu.")})
    text = note.strip()
    if names:
        text = (_("Ressources : %(names)s.") % {"names": ", ".join(names)}) + (f"\n{text}" if text else "")
    now = timezone.now()
    fields: list[str] = []
    if kind == Step.Kind.CONTACT and initiative.first_reply_at is None:
        initiative.first_reply_at = now
        fields.append("first_reply_at")
    if kind == Step.Kind.REALISED:
        initiative.stage = Initiative.Stage.REALISED
        fields.append("stage")
    elif initiative.stage == Initiative.Stage.FILED:
        initiative.stage = Initiative.Stage.ROUTING
        fields.append("stage")
    if fields:
        initiative.save(update_fields=fields)
    step = _step(initiative, kind, actor, note=text, at=now)
    if kind == Step.Kind.REALISED:
        _realised(actor, initiative, text)
        _news(initiative, _("« %(title)s » est réalisée") % {"title": initiative.title}, actor)
    audit(actor, "initiative.step", initiative, kind=kind)
    return step


@transaction.atomic
def initiative_submit(*, holder: User, initiative: Initiative, call: Call, amount_requested: Decimal) -> Initiative:
    """The holder presents the idea to an open call with the amount asked."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not rules.can_submit(holder, initiative):
        raise ValidationError(_("Cette idée ne peut plus être présentée à un appel."))
    today = timezone.localdate()
    if not call.is_published or not call.opens_on <= today <= call.closes_on:
        raise ValidationError({"call": _("Cet appel n'est pas ouvert aux dépôts aujourd'hui.")})
    if not _within(initiative.territory, call.territory):
        raise ValidationError({"call": _("Cet appel ne couvre pas le quartier de l'idée.")})
    amount = _money(amount_requested, "amount_requested")
    if amount <= ZERO or amount > call.max_amount:
        raise ValidationError({"amount_requested": _("Demandez entre 0,01 € et %(max)s €.") % {"max": call.max_amount}})
    initiative.call = call
    initiative.amount_requested = amount
    initiative.stage = Initiative.Stage.CALL
    initiative.submitted_at = timezone.now()
    # A call in sessions examines the dossier at the first session whose cutoff has not passed.
    initiative.session = sessions.session_for(call, today) if call.mode == Call.Mode.SESSIONS else None
    initiative.full_clean()
    initiative.save(update_fields=["call", "amount_requested", "stage", "submitted_at", "session"])
    _step(initiative, Step.Kind.CALL, None, note=call.title)
    audit(holder, "initiative.submit", initiative, call=call.pk)
    return initiative


# --- calls, jury, decisions, payments -------------------------------------------------------

LABEL = "Initiative habitante"


def _follow(actor: User, decision: Decision, call: Call) -> None:
    """A grant is followed publicly like every commitment, labelled « initiative habitante »
    and « fait avec les habitants », when the call names the process that follows them."""
    if call.process is None:
        return
    initiative = decision.initiative
    commitment = commitment_from_source(
        actor=actor,
        source=decision,
        process=call.process,
        title=f"{LABEL} : {initiative.title}"[:200],
        description=initiative.description,
        territory=initiative.territory,
    )
    Commitment.objects.filter(pk=commitment.pk).update(made_with_residents=True)


def _realised(actor: User, initiative: Initiative, note: str) -> None:
    decision = Decision.objects.filter(initiative=initiative).first()
    commitment = (
        Commitment.objects.filter(
            source_type=ContentType.objects.get_for_model(Decision), source_id=decision.pk
        ).first()
        if decision is not None
        else None
    )
    if commitment is not None and can_edit_commitments(actor, commitment.process):
        commitment_update(
            actor=actor,
            commitment=commitment,
            date=timezone.localdate(),
            body=note or _("Projet réalisé par ses habitant·es."),
            progress=100,
            state=Commitment.State.DONE,
        )


CALL_FIELDS = (
    "title",
    "slug",
    "territory",
    "mode",
    "budget",
    "max_amount",
    "rules",
    "criteria",
    "opens_on",
    "closes_on",
    "decides_on",
    "is_published",
    "process",
    "match_ratio",
    "match_cap_project",
    "match_cap_donor",
)
MATCH_FIELDS = ("match_ratio", "match_cap_project", "match_cap_donor")


def _unique_slug(title: str, slug: str) -> str:
    base = (slug or slugify(title))[:190] or "appel"
    candidate, n = base, 2
    while Call.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@transaction.atomic
def call_create(*, actor: User, **fields: Any) -> Call:
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields {sorted(unknown)}")
    if not rules.can_manage(actor, fields.get("territory")):
        raise ValidationError({"territory": _("Ce territoire n'est pas dans votre périmètre.")})
    for name in MATCH_FIELDS:  # left empty: no matchfunding, no cap
        fields[name] = fields.get(name) or ZERO
    process = fields.get("process")
    if process is not None and not rules.can_manage(actor, process.territory):
        raise ValidationError({"process": _("Cette démarche n'est pas dans votre périmètre.")})
    call = Call(**fields)
    call.slug = _unique_slug(call.title, call.slug)
    if call.max_amount is not None and call.budget is not None and call.max_amount > call.budget:
        raise ValidationError({"max_amount": _("L'aide maximale par projet dépasse l'enveloppe.")})
    call.full_clean()
    call.save()
    audit(actor, "initiatives.call_create", call, mode=call.mode, budget=str(call.budget))
    return call


@transaction.atomic
def jury_member_add(
    *, actor: User, call: Call, name: str, college: str, designation: str, term_end: datetime.date
) -> JuryMember:
    member = JuryMember(call=call, name=name.strip(), college=college, designation=designation, term_end=term_end)
    member.full_clean()
    member.save()
    audit(actor, "initiatives.jury_add", call, college=college, designation=designation)
    return member


def jury_is_paritary(call: Call, on: datetime.date) -> bool:
    """As many élu·es as habitant·es with a running term, at least one of each."""
    seated = [member.college for member in call.jury.all() if member.term_end >= on]
    elus = seated.count(JuryMember.College.ELU)
    return elus > 0 and elus == seated.count(JuryMember.College.RESIDENT)


@transaction.atomic
def jury_sitting_create(
    *, actor: User, call: Call, title: str, starts_at: datetime.datetime, place: str, agenda: str = ""
) -> Sitting:
    if call.mode != Call.Mode.JURY:
        raise ValidationError(_("Un appel à agir n'a pas de jury : chaque projet conforme est soutenu."))
    sitting = sitting_create(body=call, title=title, starts_at=starts_at, place=place, agenda=agenda, is_published=True)
    audit(actor, "initiatives.jury_sitting", call, sitting=sitting.pk)
    return sitting


@transaction.atomic
def decision_record(
    *,
    actor: User,
    initiative: Initiative,
    outcome: str,
    amount: Decimal,
    reasons: str,
    conditions: str = "",
    sitting: Sitting | None = None,
    session: CallSession | None = None,
) -> Decision:
    """Record the reasoned decision on a dossier. A grant comes out of the call's envelope, under
    the call's row lock: parallel accepts see each other's amounts and none overspends. In a call
    in sessions, grants are made only by the examination of the dossier's session (``session``,
    passed by :func:`apps.initiatives.sessions.session_examine`); a dossier that does not meet the
    criteria is refused or redirected here, with its reasons, before the session."""
    if initiative.call_id is None:
        raise ValidationError(_("Cette idée n'a été présentée à aucun appel."))
    call = Call.objects.select_for_update(no_key=True).get(pk=initiative.call_id)
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not rules.can_manage_call(actor, call):
        raise ValidationError(_("Cet appel n'est pas dans votre périmètre."))
    if Decision.objects.filter(initiative=initiative).exists():
        raise ValidationError(_("Ce dossier a déjà sa décision."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Donnez les motifs de la décision : ils sont publiés.")})
    granting = outcome in Decision.GRANTING
    amount = _money(amount, "amount") if granting else ZERO
    if granting and call.mode == Call.Mode.SESSIONS and (session is None or session.pk != initiative.session_id):
        raise ValidationError(
            _("Appel en sessions : les dossiers conformes sont soutenus lors de l'examen de leur session.")
        )
    if call.mode == Call.Mode.JURY:
        if sitting is None or not sitting.belongs_to(call):
            raise ValidationError({"sitting": _("Indiquez la séance du jury qui a pris la décision.")})
        if not jury_is_paritary(call, sitting.starts_at.date()):
            raise ValidationError(_("Le jury doit compter autant d'élu·es que d'habitant·es."))
    else:
        sitting = None
    if granting:
        if amount <= ZERO or amount > call.max_amount:
            raise ValidationError({"amount": _("Accordez entre 0,01 € et %(max)s €.") % {"max": call.max_amount}})
        if amount > call.remaining:
            raise ValidationError(
                {"amount": _("L'enveloppe ne suffit plus : il reste %(left)s €.") % {"left": call.remaining}}
            )
    now = timezone.now()
    decision = Decision(
        initiative=initiative,
        call=call,
        sitting=sitting,
        outcome=outcome,
        amount=amount,
        conditions=conditions.strip(),
        reasons=reasons.strip(),
        decided_by=actor,
        decided_at=now,
    )
    decision.full_clean()
    decision.save()
    if granting:
        call.committed += amount
        call.save(update_fields=["committed"])
        _follow(actor, decision, call)
    initiative.decision_at = now
    initiative.stage = {
        Decision.Outcome.REDIRECTED: Initiative.Stage.ROUTING,
        Decision.Outcome.REFUSED: Initiative.Stage.CLOSED,
    }.get(Decision.Outcome(outcome), Initiative.Stage.FUNDED)
    initiative.save(update_fields=["decision_at", "stage"])
    _step(initiative, Step.Kind.DECISION, actor, note=str(decision.get_outcome_display()), at=now)
    _news(
        initiative,
        _("Décision sur « %(title)s » : %(outcome)s")
        % {"title": initiative.title, "outcome": decision.get_outcome_display()},
        actor,
    )
    audit(actor, "initiatives.decision", initiative, outcome=outcome, amount=str(amount))
    return decision


@transaction.atomic
def payment_record(
    *, actor: User, decision: Decision, amount: Decimal, paid_on: datetime.date, reference: str
) -> Payment:
    decision = Decision.objects.select_for_update().select_related("call", "initiative").get(pk=decision.pk)
    if not rules.can_manage_call(actor, decision.call):
        raise ValidationError(_("Cet appel n'est pas dans votre périmètre."))
    amount = _money(amount, "amount")
    if decision.paid + amount > decision.amount:
        raise ValidationError(
            {"amount": _("Il reste %(left)s € à verser sur cette aide.") % {"left": decision.amount - decision.paid}}
        )
    payment = Payment(decision=decision, amount=amount, paid_on=paid_on, reference=reference.strip(), recorded_by=actor)
    payment.full_clean()
    payment.save()
    decision.paid += amount
    decision.save(update_fields=["paid"])
    _step(decision.initiative, Step.Kind.PAYMENT, actor, note=f"{amount} €")
    audit(actor, "initiatives.payment", decision.initiative, amount=str(amount))
    return payment


# --- resource directory ---------------------------------------------------------------------

RESOURCE_FIELDS = ("kind", "name", "description", "conditions", "contact", "territory", "is_published")


@transaction.atomic
def resource_save(*, actor: User, resource: Resource | None = None, **fields: Any) -> Resource:
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields {sorted(unknown)}")
    territory = fields.get("territory")
    if territory is None and not scope_for(actor, AGENTS).city_wide:
        raise ValidationError({"territory": _("Choisissez un quartier de votre périmètre.")})
    if territory is not None and not rules.can_manage(actor, territory):
        raise ValidationError({"territory": _("Ce territoire n'est pas dans votre périmètre.")})
    resource = resource or Resource()
    for name, value in fields.items():
        setattr(resource, name, value.strip() if isinstance(value, str) else value)
    resource.full_clean()
    resource.save()
    audit(actor, "initiatives.resource_save", resource)
    return resource


# --- a jury's resident seats drawn by lot (the sortition engine's public selectors) -------------


def draws_for_call(call: Call) -> Any:
    """Draws usable for the call's jury: held on its territory, an enclosing or an inner one."""
    territory_ids = set(call.territory.ancestor_ids()) | set(call.territory.descendant_ids())
    return sortition.draws_on_territories(territory_ids)


@transaction.atomic
def jury_seats_from_draw(
    *, actor: User, call: Call, draw: Any, seats: int, term_end: datetime.date
) -> list[JuryMember]:
    """Seat ``seats`` residents drawn by lot who accepted (the draw's confirmed members), named by
    their public name on the platform, or the draw's public pseudonym without an account."""
    call = Call.objects.select_for_update(no_key=True).get(pk=call.pk)
    if not rules.can_manage_call(actor, call):
        raise ValidationError(_("Cet appel n'est pas dans votre périmètre."))
    if call.mode != Call.Mode.JURY:
        raise ValidationError(_("Un appel à agir n'a pas de jury : chaque projet conforme est soutenu."))
    if draw.pk not in set(draws_for_call(call).values_list("pk", flat=True)):
        raise ValidationError({"draw": _("Ce tirage au sort n'a pas été fait sur le territoire de l'appel.")})
    if seats < 1:
        raise ValidationError({"seats": _("Indiquez au moins un siège.")})
    seated = set(call.jury.values_list("name", flat=True))
    created = []
    for member in sortition.confirmed_members(draw):
        name = (
            member.user.public_name
            if member.user is not None
            else _("Habitant·e tiré·e au sort %(pseudonym)s") % {"pseudonym": member.pseudonym}
        )
        if name in seated:
            continue
        created.append(
            jury_member_add(
                actor=actor,
                call=call,
                name=name,
                college=JuryMember.College.RESIDENT,
                designation=JuryMember.Designation.DRAWN,
                term_end=term_end,
            )
        )
        seated.add(name)
        if len(created) == seats:
            break
    if not created:
        raise ValidationError({"draw": _("Ce tirage ne compte aucune personne ayant accepté qui ne siège pas déjà.")})
    audit(actor, "initiatives.jury_drawn", call, draw=draw.pk, seats=len(created))
    return created
