"""Writes of the councils module. Keyword-only, validated, atomic, audited.

Seats are a per-college limit checked in Python, so two agents filling the last seat at
the same time must not both succeed: every write that adds or frees a seat first locks
the council row (``_lock``), always before any membership row, so the lock order is fixed.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.core.covers import cover_apply
from apps.core.models import Process, Role, Service, Territory, audit
from apps.core.roles import has_role
from apps.councils import rules
from apps.councils.models import College, Council, Decision, Membership, Renewal
from apps.councils.selectors import council_of, members_at
from apps.sittings import services as sittings
from apps.sittings.models import Sitting
from apps.sortition import selectors as sortition

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.followup.models import Commitment
    from apps.sortition.selectors import Draw, PoolMember

COUNCIL_FIELDS = (
    "kind",
    "name",
    "slug",
    "territory",
    "mission",
    "seats_drawn",
    "seats_volunteers",
    "seats_local_actors",
    "seats_elected",
    "term_months",
    "renewal_rule",
    "process",
    "is_published",
)
SEAT_FIELDS = {
    College.DRAWN: "seats_drawn",
    College.VOLUNTEERS: "seats_volunteers",
    College.LOCAL_ACTORS: "seats_local_actors",
    College.ELECTED: "seats_elected",
}
MEETING_FIELDS = ("title", "starts_at", "place", "agenda", "minutes", "is_published")
DECISION_FIELDS = (
    "kind",
    "title",
    "subject",
    "text",
    "decided_on",
    "outcome",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "meeting",
    "is_published",
)


# --- helpers ----------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (31 January + 1 month is 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def public_name_from(full_name: str) -> str:
    """First name and initial of the last name: « Awa Diallo » → « Awa D. »."""
    parts = full_name.split()
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0][:80]
    return f"{parts[0]} {parts[-1][0].upper()}."[:80]


def pool_member_names(member: PoolMember) -> tuple[str, str]:
    """(full name, public name) of a drawn person. After the RGPD purge the personal data
    is gone: the draw's pseudonym is all that remains, and it is public anyway."""
    personal = member.personal or {}
    first = str(personal.get("first_name") or personal.get("prenom") or "").strip()
    last = str(personal.get("last_name") or personal.get("nom") or "").strip()
    full = str(personal.get("full_name") or personal.get("name") or f"{first} {last}").strip()
    return full[:150], public_name_from(full) or member.pseudonym


def _require_manager(actor: User, council: Council) -> None:
    if not rules.can_manage_council(actor, council):
        raise PermissionDenied


def _lock(council: Council) -> Council:
    return Council.objects.select_for_update().select_related("territory").get(pk=council.pk)


def active_count(council: Council, college: str) -> int:
    return council.memberships.filter(status=Membership.Status.ACTIVE, college=college).count()


def _check_seats(council: Council, college: str, adding: int = 1) -> None:
    seats = council.seats(college)
    if active_count(council, college) + adding > seats:
        raise ValidationError(
            {
                "college": _(
                    "Tous les sièges du collège « %(college)s » sont pourvus (%(seats)s sièges) : "
                    "mettez fin à un mandat ou augmentez le nombre de sièges."
                )
                % {"college": College(college).label, "seats": seats}
            }
        )


def _unique_slug(name: str, slug: str, exclude_pk: int | None = None) -> str:
    base = (slug or slugify(name))[:190] or "instance"
    candidate, n = base, 2
    others = Council.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Council.objects.all()
    while others.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --- councils ---------------------------------------------------------------------------------


@transaction.atomic
def council_create(
    *,
    actor: User,
    kind: str,
    name: str,
    territory: Territory,
    mission: str,
    slug: str = "",
    seats_drawn: int = 0,
    seats_volunteers: int = 0,
    seats_local_actors: int = 0,
    seats_elected: int = 0,
    term_months: int = 24,
    renewal_rule: str = Council.Renewal.ALL,
    process: Process | None = None,
    is_published: bool = False,
    cover: Mapping[str, Any] | None = None,
) -> Council:
    """``cover``: the keyword arguments of ``apps.core.covers.cover_apply`` (its picture)."""
    if not has_role(actor, rules.AGENTS, territory=territory):
        raise PermissionDenied
    council = Council(
        kind=kind,
        name=name.strip(),
        slug=_unique_slug(name, slug),
        territory=territory,
        mission=mission.strip(),
        seats_drawn=seats_drawn,
        seats_volunteers=seats_volunteers,
        seats_local_actors=seats_local_actors,
        seats_elected=seats_elected,
        term_months=term_months,
        renewal_rule=renewal_rule,
        process=process,
        is_published=is_published,
    )
    if cover is not None:
        cover_apply(council, **cover)
    council.full_clean()
    council.save()
    audit(actor, "council.create", council, kind=kind, seats=council.total_seats)
    return council


@transaction.atomic
def council_update(*, actor: User, council: Council, cover: Mapping[str, Any] | None = None, **fields: Any) -> Council:
    unknown = set(fields) - set(COUNCIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown council fields {sorted(unknown)}")
    _require_manager(actor, council)
    council = _lock(council)
    territory = fields.get("territory")
    if (
        territory is not None
        and territory != council.territory
        and not has_role(actor, rules.AGENTS, territory=territory)
    ):
        raise PermissionDenied
    previous_slug = council.slug
    for name, value in fields.items():
        setattr(council, name, value)
    # An emptied slug keeps the current address: published links must not break on a rename.
    council.slug = _unique_slug(council.name, fields.get("slug") or previous_slug, exclude_pk=council.pk)
    errors: dict[str, str] = {}
    for college, field in SEAT_FIELDS.items():
        filled = active_count(council, college)
        if getattr(council, field) < filled:
            errors[field] = _(
                "%(filled)s personnes siègent déjà dans ce collège : "
                "mettez fin à des mandats avant de réduire le nombre de sièges."
            ) % {"filled": filled}
    if errors:
        raise ValidationError(errors)
    if cover is not None and cover_apply(council, **cover):
        fields["cover"] = True
    council.full_clean()
    council.save()
    audit(actor, "council.update", council, fields=sorted(fields))
    return council


# --- memberships ------------------------------------------------------------------------------


def _new_membership(
    *,
    council: Council,
    college: str,
    origin: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
    full_name: str = "",
    public_name: str = "",
    user: User | None = None,
    pool_member: PoolMember | None = None,
) -> Membership:
    full_name = full_name.strip() or (user.display_name if user is not None else "")
    public_name = public_name.strip() or public_name_from(full_name)
    if not public_name:
        raise ValidationError({"full_name": _("Indiquez le nom de la personne ou un compte existant.")})
    if user is not None and council.memberships.filter(user=user, status=Membership.Status.ACTIVE).exists():
        raise ValidationError({"user_email": _("Cette personne siège déjà dans cette instance.")})
    membership = Membership(
        council=council,
        college=college,
        origin=origin,
        user=user,
        full_name=full_name,
        public_name=public_name,
        pool_member=pool_member,
        term_start=term_start,
        term_end=term_end or add_months(term_start, council.term_months),
    )
    if membership.term_end <= membership.term_start:
        raise ValidationError({"term_end": _("La fin du mandat doit venir après son début.")})
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_add(
    *,
    actor: User,
    council: Council,
    college: str,
    origin: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    full_name: str = "",
    public_name: str = "",
    user: User | None = None,
) -> Membership:
    _require_manager(actor, council)
    council = _lock(council)
    _check_seats(council, college)
    membership = _new_membership(
        council=council,
        college=college,
        origin=origin,
        term_start=term_start,
        term_end=term_end,
        full_name=full_name,
        public_name=public_name,
        user=user,
    )
    audit(actor, "council.member_add", membership, council_id=council.pk, college=college, origin=origin)
    return membership


def draws_for(council: Council) -> Any:
    """Draws usable for this council: held on its territory, an enclosing or an inner one."""
    territory_ids = set(council.territory.ancestor_ids()) | set(council.territory.descendant_ids())
    return sortition.draws_on_territories(territory_ids)


def importable_members(council: Council, draw: Draw) -> list[PoolMember]:
    """Drawn people not yet in the council: those who accepted first, then the others selected."""
    sitting_users = council.memberships.filter(status=Membership.Status.ACTIVE, user__isnull=False).values("user_id")
    candidates = (
        sortition.members_with_status(draw, [sortition.CONFIRMED, sortition.SELECTED])
        .exclude(council_memberships__council=council)
        .exclude(user_id__in=sitting_users)
    )
    rank: dict[str, int] = {sortition.CONFIRMED: 0, sortition.SELECTED: 1}
    return sorted(candidates, key=lambda member: (rank.get(member.status, 2), member.pk))


@transaction.atomic
def memberships_import_from_draw(
    *,
    actor: User,
    council: Council,
    draw: Draw,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
) -> list[Membership]:
    """Seat the people drawn by lot in the « tirés au sort » college, up to its vacant seats."""
    _require_manager(actor, council)
    council = _lock(council)
    if draw.pk not in set(draws_for(council).values_list("pk", flat=True)):
        raise ValidationError({"draw": _("Ce tirage au sort n'a pas été fait sur le territoire de l'instance.")})
    vacant = council.seats_drawn - active_count(council, College.DRAWN)
    if vacant <= 0:
        raise ValidationError({"draw": _("Tous les sièges du collège des habitant·es tiré·es au sort sont pourvus.")})
    candidates = importable_members(council, draw)
    if not candidates:
        raise ValidationError(
            {"draw": _("Ce tirage ne compte aucune personne tirée au sort ou ayant accepté qui ne siège pas déjà.")}
        )
    created = []
    for member in candidates[:vacant]:
        full_name, public_name = pool_member_names(member)
        created.append(
            _new_membership(
                council=council,
                college=College.DRAWN,
                origin=Membership.Origin.DRAWN,
                term_start=term_start,
                term_end=term_end,
                full_name=full_name,
                public_name=public_name,
                user=member.user,
                pool_member=member,
            )
        )
    audit(actor, "council.members_import", council, draw=draw.slug, count=len(created), left=len(candidates) - vacant)
    return created


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, ended_on: datetime.date) -> Membership:
    _require_manager(actor, membership.council)
    _lock(membership.council)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError({"ended_on": _("Ce mandat est déjà terminé.")})
    if ended_on < membership.term_start:
        raise ValidationError({"ended_on": _("La fin ne peut pas précéder le début du mandat.")})
    membership.status = Membership.Status.ENDED
    membership.ended_on = ended_on
    membership.save(update_fields=["status", "ended_on"])
    audit(actor, "council.member_end", membership, ended_on=ended_on.isoformat())
    return membership


def alternates_for(council: Council) -> Any:
    """Alternates drawn for this council's territory and not yet seated in it."""
    return sortition.alternates_of(draws_for(council)).exclude(council_memberships__council=council)


@transaction.atomic
def membership_resign(
    *,
    actor: User,
    membership: Membership,
    resigned_on: datetime.date,
    alternate: PoolMember | None = None,
    replacement_name: str = "",
) -> Membership | None:
    """Record a resignation; the replacement (an alternate of a draw, or a named person)
    completes the remaining term in the same college."""
    council = membership.council
    _require_manager(actor, council)
    council = _lock(council)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError({"resigned_on": _("Ce mandat est déjà terminé.")})
    if resigned_on < membership.term_start:
        raise ValidationError({"resigned_on": _("La démission ne peut pas précéder le début du mandat.")})
    if alternate is not None and replacement_name.strip():
        raise ValidationError(
            {"replacement_name": _("Choisissez un·e remplaçant·e tiré·e au sort ou un nom, pas les deux.")}
        )
    membership.status = Membership.Status.RESIGNED
    membership.ended_on = resigned_on
    membership.save(update_fields=["status", "ended_on"])
    replacement: Membership | None = None
    if alternate is not None or replacement_name.strip():
        if resigned_on >= membership.term_end:
            raise ValidationError({"resigned_on": _("Le mandat est échu : il n'y a plus de mandat à compléter.")})
        if alternate is not None:
            if alternate.pk not in set(alternates_for(council).values_list("pk", flat=True)):
                raise ValidationError({"alternate": _("Cette personne n'est pas remplaçante pour cette instance.")})
            full_name, public_name = pool_member_names(alternate)
            origin, user = Membership.Origin.DRAWN, alternate.user
        else:
            full_name, public_name = replacement_name.strip(), ""
            origin, user = (
                (
                    Membership.Origin.VOLUNTEER
                    if membership.college == College.VOLUNTEERS
                    else Membership.Origin.APPOINTED
                ),
                None,
            )
        _check_seats(council, membership.college)
        replacement = _new_membership(
            council=council,
            college=membership.college,
            origin=origin,
            term_start=resigned_on,
            term_end=membership.term_end,
            full_name=full_name,
            public_name=public_name,
            user=user,
            pool_member=alternate,
        )
        membership.replaced_by = replacement
        membership.save(update_fields=["replaced_by"])
    audit(
        actor,
        "council.member_resign",
        membership,
        resigned_on=resigned_on.isoformat(),
        replacement_id=replacement.pk if replacement else None,
    )
    return replacement


@transaction.atomic
def renewal_run(*, actor: User, council: Council, held_on: datetime.date, note: str = "") -> Renewal:
    """End every active membership whose term is over on ``held_on``; the seats they free are
    then listed as vacant and filled from a new draw or volunteers."""
    _require_manager(actor, council)
    council = _lock(council)
    expiring = council.memberships.select_for_update().filter(status=Membership.Status.ACTIVE, term_end__lte=held_on)
    ids = list(expiring.values_list("pk", flat=True))
    if not ids:
        raise ValidationError({"held_on": _("Aucun mandat n'arrive à échéance à cette date.")})
    renewal = Renewal(council=council, held_on=held_on, ended_count=len(ids), note=note.strip(), actor=actor)
    renewal.full_clean()
    renewal.save()
    for membership in Membership.objects.filter(pk__in=ids):
        membership.status = Membership.Status.ENDED
        membership.ended_on = membership.term_end
        membership.renewal = renewal
        membership.save(update_fields=["status", "ended_on", "renewal"])
    audit(actor, "council.renewal", council, held_on=held_on.isoformat(), ended=len(ids))
    return renewal


# --- meetings ---------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    council: Council,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    agenda: str = "",
    minutes: str = "",
    is_published: bool = False,
) -> Sitting:
    _require_manager(actor, council)
    meeting = sittings.sitting_create(
        body=council,
        title=title,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        minutes=minutes,
        is_published=is_published,
    )
    audit(actor, "council.meeting_create", meeting, council_id=council.pk, published=is_published)
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Sitting, **fields: Any) -> Sitting:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields {sorted(unknown)}")
    _require_manager(actor, council_of(meeting))
    was_published = meeting.is_published
    meeting = sittings.sitting_update(sitting=meeting, **fields)
    audit(
        actor,
        "council.meeting_publish" if meeting.is_published and not was_published else "council.meeting_update",
        meeting,
        fields=sorted(fields),
    )
    return meeting


@transaction.atomic
def attendance_record(*, actor: User, meeting: Sitting, statuses: Mapping[int, str]) -> int:
    """Replace the attendance of ``meeting`` by ``statuses`` (membership id → status; an empty
    status clears the row). Returns the number of people marked present."""
    _require_manager(actor, council_of(meeting))
    allowed = set(members_at(meeting).values_list("pk", flat=True))
    unknown = set(statuses) - allowed
    if unknown:
        raise ValidationError(_("Ces personnes ne siégeaient pas à la date de la réunion."))
    present = sittings.attendance_record(sitting=meeting, member_model=Membership, statuses=statuses)
    audit(actor, "council.attendance", meeting, present=present, recorded=len([v for v in statuses.values() if v]))
    return present


# --- decisions --------------------------------------------------------------------------------


def _check_decision(decision: Decision) -> None:
    if decision.meeting is not None and not (
        decision.meeting.belongs_to_model(Council) and decision.meeting.body_id == decision.council_id
    ):
        raise ValidationError({"meeting": _("Cette réunion n'est pas une réunion de l'instance.")})
    if decision.kind == Decision.Kind.DECISION and not decision.outcome:
        raise ValidationError({"outcome": _("Indiquez le sens de la décision sur le projet.")})


@transaction.atomic
def decision_create(
    *,
    actor: User,
    council: Council,
    title: str,
    text: str,
    decided_on: datetime.date,
    kind: str = Decision.Kind.OPINION,
    subject: str = "",
    outcome: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    meeting: Sitting | None = None,
    is_published: bool = False,
) -> Decision:
    _require_manager(actor, council)
    decision = Decision(
        council=council,
        kind=kind,
        title=title.strip(),
        subject=subject.strip(),
        text=text.strip(),
        decided_on=decided_on,
        outcome=outcome,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        meeting=meeting,
        is_published=is_published,
    )
    _check_decision(decision)
    decision.full_clean()
    decision.save()
    audit(actor, "council.decision_create", decision, council_id=council.pk, published=is_published)
    return decision


@transaction.atomic
def decision_update(*, actor: User, decision: Decision, **fields: Any) -> Decision:
    unknown = set(fields) - set(DECISION_FIELDS)
    if unknown:
        raise TypeError(f"unknown decision fields {sorted(unknown)}")
    _require_manager(actor, decision.council)
    for name, value in fields.items():
        setattr(decision, name, value.strip() if isinstance(value, str) else value)
    _check_decision(decision)
    decision.full_clean()
    decision.save()
    audit(actor, "council.decision_update", decision, fields=sorted(fields))
    return decision


@transaction.atomic
def decision_commit(
    *,
    actor: User,
    decision: Decision,
    process: Process,
    title: str,
    description: str = "",
    service: Service | None = None,
    planned_date: datetime.date | None = None,
) -> Commitment:
    """The city commits on a decision: a public commitment of the follow-up, « fait avec les
    habitants », whose source is the decision (one per decision, enforced by the database)."""
    from apps.followup.services import commitment_create

    _require_manager(actor, decision.council)
    decision = Decision.objects.select_for_update().select_related("council__territory").get(pk=decision.pk)
    if decision.commitment_id is not None:
        raise ValidationError({"title": _("Cette décision a déjà un engagement de la Ville.")})
    if not has_role(actor, frozenset({Role.AGENT, Role.ELU}), process=process):
        raise ValidationError({"process": _("Vous ne pouvez pas créer d'engagement dans cette démarche.")})
    commitment = commitment_create(
        actor=actor,
        process=process,
        title=title,
        description=description,
        service=service,
        planned_date=planned_date,
        territory=decision.council.territory,
        made_with_residents=True,
        source=decision,
    )
    decision.commitment = commitment
    decision.save(update_fields=["commitment"])
    audit(actor, "council.decision_commit", decision, commitment_id=commitment.pk)
    return commitment
