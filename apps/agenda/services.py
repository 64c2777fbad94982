"""Writes of the agenda. Keyword-only, validated, atomic; side effects (notifications, emails)
queued on commit by the notifications machinery.

Registrations race for the last places: every write that changes who holds a place locks the
event row first (``SELECT … FOR UPDATE``), so the count of confirmed registrations read under the
lock is the truth until commit. Fifty people asking for the last place at once queue on that lock;
one gets it, the others go to the waiting list.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.agenda import rules
from apps.agenda.models import (
    AgendaItem,
    CalendarToken,
    Event,
    ItemSupport,
    Outcome,
    Registration,
    SignInCount,
    token_digest,
)
from apps.core.models import Process, Territory, audit
from apps.core.rules_kit import require
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.sittings import services as sittings

if TYPE_CHECKING:
    from apps.accounts.models import User

EVENT_FIELDS = (
    "kind",
    "territory",
    "process",
    "summary",
    "access_info",
    "step_free",
    "online_url",
    "registration_enabled",
    "capacity",
    "is_published",
)
SITTING_FIELDS = ("title", "starts_at", "ends_at", "place", "agenda")
NEEDS = ("childcare", "interpretation", "sign_language", "step_free")


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _confirmed(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def _tell(user_ids: Iterable[int], title: str, event: Event, body: str = "") -> int:
    with translation.override("fr"):
        return notify(
            user_ids=user_ids, kind=Notification.Kind.STATUS, title=title, url=event.get_absolute_url(), body=body
        )


# --- events -------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    actor: User,
    kind: str,
    territory: Territory,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    ends_at: datetime.datetime | None = None,
    agenda: str = "",
    process: Process | None = None,
    summary: str = "",
    access_info: str = "",
    step_free: bool = False,
    online_url: str = "",
    registration_enabled: bool = False,
    capacity: int | None = None,
    is_published: bool = False,
) -> Event:
    event = Event(
        kind=kind,
        territory=territory,
        process=process,
        summary=summary.strip(),
        access_info=access_info.strip(),
        step_free=step_free,
        online_url=online_url.strip(),
        registration_enabled=registration_enabled,
        capacity=capacity,
        is_published=is_published,
        created_by=actor,
    )
    require(rules.can_manage_event(actor, event))
    event.full_clean()
    event.save()
    sitting = sittings.sitting_create(
        body=event,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        agenda=agenda,
        is_published=is_published,
    )
    event._sitting = sitting
    audit(actor, "agenda.event_create", event, kind=kind, published=is_published)
    return event


@transaction.atomic
def event_update(*, actor: User, event: Event, **fields: Any) -> Event:
    """Change an event and its sitting. A smaller capacity than the places already given is
    refused (nobody loses a confirmed place); a larger one promotes the waiting list."""
    unknown = set(fields) - set(EVENT_FIELDS) - set(SITTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields {sorted(unknown)}")
    require(rules.can_manage_event(actor, event))
    sitting = event.sitting
    event = _locked(event)
    before = _practical_facts(event, sitting)
    for name in EVENT_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(event, name, value.strip() if isinstance(value, str) else value)
    require(rules.can_manage_event(actor, event))  # the new quartier must be theirs too
    confirmed = _confirmed(event)
    if event.capacity is not None and event.capacity < confirmed:
        raise ValidationError(
            {
                "capacity": _(
                    "%(count)s personnes ont déjà une place confirmée : la jauge ne peut pas être plus petite."
                )
                % {"count": confirmed}
            }
        )
    event.full_clean()
    event.save()
    sitting_fields = {name: fields[name] for name in SITTING_FIELDS if name in fields}
    sitting = sittings.sitting_update(sitting=sitting, is_published=event.is_published, **sitting_fields)
    event._sitting = sitting
    if _practical_facts(event, sitting) != before:
        event.revision += 1
        event.save(update_fields=["revision"])
        if event.is_published and not event.is_cancelled:
            _tell_change(event, sitting)
    _promote(event)
    audit(actor, "agenda.event_update", event, fields=sorted(fields), revision=event.revision)
    return event


def _practical_facts(event: Event, sitting: Any) -> tuple[object, ...]:
    """What a registered person plans around: when, where, and the link to follow online."""
    return (sitting.starts_at, sitting.ends_at, sitting.place.strip(), event.online_url)


def _tell_change(event: Event, sitting: Any) -> None:
    """Everyone registered (confirmed or waiting) learns the new date, place or link."""
    people = event.registrations.exclude(status=Registration.Status.CANCELLED).values_list("user_id", flat=True)
    when = timezone.localtime(sitting.starts_at)
    lines = [
        _("Nouvelle date : le %(date)s à %(time)s.")
        % {"date": when.strftime("%d/%m/%Y"), "time": when.strftime("%H:%M")},
        _("Lieu : %(place)s.") % {"place": sitting.place},
    ]
    if event.online_url:
        lines.append(_("En ligne : %(url)s") % {"url": event.online_url})
    _tell(
        list(people),
        _("Changement : « %(title)s » a une nouvelle date, un nouveau lieu ou un nouveau lien")
        % {"title": sitting.title},
        event,
        body="\n".join(lines),
    )


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str) -> Event:
    """Cancel the event and tell everyone registered (confirmed or waiting) why."""
    require(rules.can_manage_event(actor, event))
    sitting = event.sitting
    event = _locked(event)
    if event.is_cancelled:
        raise ValidationError(_("Ce rendez-vous est déjà annulé."))
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Donnez le motif de l'annulation : il est affiché publiquement.")})
    event.state = Event.State.CANCELLED
    event.cancel_reason = reason.strip()
    event.revision += 1
    event.full_clean()
    event.save()
    event._sitting = sitting
    people = event.registrations.exclude(status=Registration.Status.CANCELLED).values_list("user_id", flat=True)
    _tell(
        list(people),
        _("Annulé : « %(title)s » du %(date)s")
        % {"title": sitting.title, "date": timezone.localtime(sitting.starts_at).strftime("%d/%m/%Y")},
        event,
        body=event.cancel_reason,
    )
    audit(actor, "agenda.event_cancel", event)
    return event


# --- registrations ------------------------------------------------------------------------------


def _clean_needs(needs: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(needs) - set(NEEDS)
    if unknown:
        raise TypeError(f"unknown needs {sorted(unknown)}")
    return {
        "childcare": bool(needs.get("childcare")),
        "interpretation": str(needs.get("interpretation") or "").strip(),
        "sign_language": bool(needs.get("sign_language")),
        "step_free": bool(needs.get("step_free")),
    }


@transaction.atomic
def register(*, user: User, event: Event, **needs: Any) -> Registration:
    """Give ``user`` a place, or one on the waiting list when the event is full. Registering
    again changes the access needs and keeps the place (or the rank in the queue)."""
    require(rules.can_register(user, event))
    values = _clean_needs(needs)
    event = _locked(event)
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        for name, value in values.items():
            setattr(registration, name, value)
        registration.full_clean()
        registration.save()
        return registration
    full = event.capacity is not None and _confirmed(event) >= event.capacity
    status = Registration.Status.WAITING if full else Registration.Status.CONFIRMED
    registration = registration or Registration(event=event, user=user)
    registration.status = status
    registration.queued_at = timezone.now()
    for name, value in values.items():
        setattr(registration, name, value)
    registration.full_clean(validate_unique=False)
    registration.save()
    return registration


def _promote(event: Event) -> list[Registration]:
    """Give the free places to the waiting list, oldest first (``event`` is locked); nobody is
    promoted to a cancelled or past event."""
    sitting = event.sitting
    if event.is_cancelled or sitting is None or sitting.starts_at <= timezone.now():
        return []
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _confirmed(event)
        if free <= 0:
            return []
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by("queued_at", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    if not promoted:
        return []
    now = timezone.now()
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=Registration.Status.CONFIRMED, queued_at=now
    )
    _tell(
        [r.user_id for r in promoted],
        _("Une place s'est libérée : vous êtes inscrit·e à « %(title)s »") % {"title": sitting.title},
        event,
    )
    return promoted


@transaction.atomic
def registration_cancel(*, user: User, registration: Registration) -> Registration:
    """Give up one's place (or one's rank on the waiting list); the first person waiting gets
    the freed place and is told."""
    require(rules.can_cancel_registration(user, registration))
    return free_places_of(registration)


@transaction.atomic
def free_places_of(registration: Registration) -> Registration:
    """Cancel ``registration`` and promote the waiting list (also run by the account deletion)."""
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    _promote(event)
    return registration


# --- agenda items -------------------------------------------------------------------------------


@transaction.atomic
def item_propose(*, author: User, event: Event, title: str, body: str = "", sequence: str = "debat") -> AgendaItem:
    require(rules.can_propose_item(author, event))
    item = AgendaItem(event=event, author=author, title=title.strip(), body=body.strip(), sequence=sequence)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_support_toggle(*, user: User, item: AgendaItem) -> bool:
    """Support the item, or withdraw one's support; True when the person now supports it. The
    unique constraint keeps one support per person even under parallel requests."""
    require(rules.can_support_item(user, item))
    deleted, _details = ItemSupport.objects.filter(item=item, user=user).delete()
    if deleted:
        AgendaItem.objects.filter(pk=item.pk).update(support_count=F("support_count") - 1)
        return False
    try:
        with transaction.atomic():
            ItemSupport.objects.create(item=item, user=user)
    except IntegrityError:
        return True
    AgendaItem.objects.filter(pk=item.pk).update(support_count=F("support_count") + 1)
    return True


# --- after the meeting --------------------------------------------------------------------------


@transaction.atomic
def minutes_publish(*, actor: User, event: Event, minutes: str) -> Event:
    require(rules.can_manage_event(actor, event))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Écrivez le compte rendu avant de le publier.")})
    sitting = sittings.sitting_update(sitting=event.sitting, minutes=minutes)
    event._sitting = sitting
    if event.is_published:
        people = event.registrations.filter(status=Registration.Status.CONFIRMED).values_list("user_id", flat=True)
        _tell(list(people), _("Compte rendu publié : « %(title)s »") % {"title": sitting.title}, event)
    audit(actor, "agenda.minutes_publish", event)
    return event


@transaction.atomic
def outcome_add(
    *,
    actor: User,
    event: Event,
    sequence: str,
    title: str,
    link: str,
    text: str = "",
    item: AgendaItem | None = None,
    commitment: Any = None,
    answer: Any = None,
    link_url: str = "",
) -> Outcome:
    require(rules.can_manage_event(actor, event))
    if item is not None and item.event_id != event.pk:
        raise ValidationError({"item": _("Ce sujet n'a pas été proposé pour ce rendez-vous.")})
    outcome = Outcome(
        event=event,
        sequence=sequence,
        item=item,
        title=title.strip(),
        text=text.strip(),
        link=link,
        commitment=commitment if link == Outcome.Link.COMMITMENT else None,
        answer=answer if link == Outcome.Link.ANSWER else None,
        link_url=link_url.strip() if link in (Outcome.Link.PROPOSAL, Outcome.Link.WORKSHOP) else "",
        created_by=actor,
    )
    missing = {
        Outcome.Link.COMMITMENT: ("commitment", outcome.commitment, _("Choisissez l'engagement suivi.")),
        Outcome.Link.ANSWER: ("answer", outcome.answer, _("Choisissez la réponse argumentée.")),
        Outcome.Link.PROPOSAL: ("link_url", outcome.link_url, _("Donnez l'adresse de la proposition.")),
        Outcome.Link.WORKSHOP: ("link_url", outcome.link_url, _("Donnez l'adresse de la demande d'atelier.")),
    }.get(Outcome.Link(link))
    if missing is not None and not missing[1]:
        raise ValidationError({missing[0]: missing[2]})
    outcome.full_clean()
    outcome.save()
    audit(actor, "agenda.outcome_add", outcome, event_id=event.pk, link=link)
    return outcome


SignInKey = tuple[int, str, bool]


@transaction.atomic
def signin_record(*, actor: User, event: Event, counts: Mapping[SignInKey, int]) -> int:
    """Replace the counts of the paper sign-in sheets: (quartier id, age band, first time) →
    number of people; a zero removes the cell. Returns the total."""
    require(rules.can_manage_event(actor, event))
    if any(value < 0 for value in counts.values()):
        raise ValidationError(_("Un nombre de personnes ne peut pas être négatif."))
    territories = set(Territory.objects.filter(pk__in={key[0] for key in counts}).values_list("pk", flat=True))
    if {key[0] for key in counts} - territories:
        raise ValidationError(_("Quartier inconnu."))
    if {key[1] for key in counts} - set(SignInCount.AgeBand.values):
        raise ValidationError(_("Tranche d'âge inconnue."))
    event.signin_counts.all().delete()
    SignInCount.objects.bulk_create(
        [
            SignInCount(
                event=event, territory_id=key[0], age_band=key[1], first_time=key[2], count=value, entered_by=actor
            )
            for key, value in sorted(counts.items())
            if value
        ]
    )
    total = sum(counts.values())
    audit(actor, "agenda.signin_record", event, total=total)
    return total


# --- the personal iCal feed ---------------------------------------------------------------------


@transaction.atomic
def calendar_token_renew(*, user: User) -> str:
    """A new secret for the person's feed (the previous address stops working). The token is
    returned once, to show; only its digest is kept."""
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(user=user, defaults={"digest": token_digest(token)})
    return token


def calendar_token_revoke(*, user: User) -> bool:
    deleted, _details = CalendarToken.objects.filter(user=user).delete()
    return bool(deleted)


# --- reminders ----------------------------------------------------------------------------------

REMINDER_AHEAD = datetime.timedelta(hours=24)


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Remind the people with a confirmed place of the events starting within a day; each event
    is claimed by a conditional update so two workers never remind twice. Returns the number of
    notifications created."""
    now = now or timezone.now()
    due = list(
        Event.objects.filter(
            is_published=True,
            state=Event.State.SCHEDULED,
            reminder_sent_at__isnull=True,
            sittings__starts_at__gt=now,
            sittings__starts_at__lte=now + REMINDER_AHEAD,
        )
        .prefetch_related("sittings")
        .order_by("pk")[:200]
    )
    created = 0
    for event in due:
        with transaction.atomic():
            if not Event.objects.filter(pk=event.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                continue
            sitting = event.sitting
            people = event.registrations.filter(status=Registration.Status.CONFIRMED).values_list("user_id", flat=True)
            when = timezone.localtime(sitting.starts_at).strftime("%d/%m/%Y %H:%M")
            created += _tell(
                list(people),
                _("Rappel : « %(title)s » le %(when)s") % {"title": sitting.title, "when": when},
                event,
                body=_("Lieu : %(place)s") % {"place": sitting.place},
            )
    return created
