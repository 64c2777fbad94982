"""What the initiatives module holds about a person (RGPD), declared in its manifest: the ideas
they hold (with the name and contact an agent typed for someone met at a counter), and acts done
in a role (agents who filed, referents, decisions, payments), the entries of the directory of
actors they chose to appear in or proposed, and the open doors they announced."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import KEPT_ROLE_ACT, STAFF, Fate, Holding, iso
from apps.core.registry import PersonalData, Rows
from apps.initiatives import closing_personal_data

if TYPE_CHECKING:
    from apps.accounts.models import User

HOLDINGS: tuple[Holding, ...] = (
    Holding(
        "initiatives.Initiative",
        ("holder", "holder_name", "holder_contact"),
        "initiatives",
        Fate.ERASED,
        "The idea stays (its public page, a call's published decision and the city's figures use it), "
        "tied to nobody: the holder link, name and contact are emptied.",
    ),
    Holding("initiatives.Initiative", ("filed_by", "referent"), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("initiatives.Step", ("actor",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("initiatives.Decision", ("decided_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding("initiatives.Payment", ("recorded_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "initiatives.Pledge",
        ("donor",),
        "pledges",
        Fate.UNLINKED,
        "The pledge and its ledger lines stay (public money was matched on them), tied to nobody.",
    ),
    Holding("initiatives.Pledge", ("received_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "initiatives.HelpOffer",
        ("person", "skills", "message", "contact"),
        "help_offers",
        Fate.DELETED,
        "The offer of help is the person's alone: it goes with the account.",
    ),
    Holding(
        "initiatives.TimeGiven",
        ("person",),
        "time_given",
        Fate.DELETED,
        "The hours attested are the person's: they go with the account (and the attestation with them).",
    ),
    Holding("initiatives.TimeGiven", ("recorded_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "initiatives.CoHolder",
        ("person",),
        "co_held",
        Fate.DELETED,
        "Holding a project with others is the person's own link to it: it goes with the account.",
    ),
    Holding("initiatives.CoHolder", ("added_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "initiatives.Actor",
        ("person", "name", "skills", "description", "website", "show_initiatives"),
        "directory",
        Fate.DELETED,
        "Appearing in the directory is the person's choice: their own entry, and the entries of "
        "associations or collectives they proposed and received the messages of, go with the account.",
    ),
    Holding("initiatives.Actor", ("moderated_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "initiatives.ActorMessage",
        ("sender", "body", "reply_to"),
        "directory_messages",
        Fate.DELETED,
        "A message written through the directory goes with its sender's account (its recipient keeps "
        "the notification it came in, theirs); the messages an entry received go with the entry.",
    ),
    Holding("initiatives.ActorMessage", ("handled_by",), STAFF, Fate.ACCOUNT, KEPT_ROLE_ACT),
    Holding(
        "initiatives.OpenDoor",
        ("created_by",),
        "open_doors",
        Fate.UNLINKED,
        "The open doors of a project are the project's public moments: they stay, tied to nobody.",
    ),
    Holding(
        "initiatives.JuryMember",
        ("name",),
        None,
        Fate.KEPT,
        "Public seat of a jury deciding on public money, typed by an agent and linked to no account.",
    ),
    Holding(
        "initiatives.Resource",
        ("contact",),
        None,
        Fate.KEPT,
        "The desk of a public service or association published in the directory, linked to no account.",
    ),
    *closing_personal_data.HOLDINGS,
)


def _initiatives(user: User) -> Rows:
    from apps.initiatives.models import Initiative

    queryset = Initiative.objects.filter(holder=user).select_related("territory").prefetch_related("steps")
    return [
        {
            "title": i.title,
            "description": i.description,
            "place": i.place,
            "quartier": i.territory.name,
            "who": i.who,
            "helps": i.helps,
            "is_public": i.is_public,
            "holder_name": i.holder_name,
            "holder_contact": i.holder_contact,
            "stage": i.stage,
            "story": i.story,
            "created_at": iso(i.created_at),
            "steps": [{"kind": s.kind, "at": iso(s.at), "note": s.note} for s in i.steps.all()],
        }
        for i in queryset.order_by("pk")
    ]


def _pledges(user: User) -> Rows:
    from apps.initiatives.models import Pledge

    queryset = Pledge.objects.filter(donor=user).select_related("initiative").order_by("pk")
    return [
        {
            "initiative": p.initiative.title,
            "amount": str(p.amount),
            "reference": p.reference,
            "state": p.state,
            "created_at": iso(p.created_at),
            "received_at": iso(p.received_at),
        }
        for p in queryset
    ]


def _offers(user: User) -> Rows:
    from apps.initiatives.models import HelpOffer

    queryset = HelpOffer.objects.filter(person=user).select_related("initiative").order_by("pk")
    return [
        {
            "initiative": o.initiative.title,
            "skills": o.skills,
            "message": o.message,
            "contact": o.contact,
            "created_at": iso(o.created_at),
        }
        for o in queryset
    ]


def _time(user: User) -> Rows:
    from apps.initiatives.models import TimeGiven

    queryset = TimeGiven.objects.filter(person=user).select_related("initiative").order_by("day", "pk")
    return [
        {
            "initiative": t.initiative.title,
            "day": t.day.isoformat(),
            "hours": str(t.hours),
            "activity": t.activity,
            "skills": t.skills,
        }
        for t in queryset
    ]


def _directory(user: User) -> Rows:
    from apps.initiatives.models import Actor

    queryset = Actor.objects.filter(person=user).select_related("territory").prefetch_related("initiatives")
    return [
        {
            "kind": a.kind,
            "name": a.name,
            "skills": a.skills,
            "description": a.description,
            "quartier": a.territory.name,
            "website": a.website,
            "show_initiatives": a.show_initiatives,
            "initiatives": [initiative.title for initiative in a.initiatives.all()],
            "state": a.state,
            "created_at": iso(a.created_at),
        }
        for a in queryset.order_by("pk")
    ]


def _messages(user: User) -> Rows:
    """Messages she wrote through the directory, and those her entries received (with her
    reports). Who reported a message she wrote is not hers to read: only that it was acted on."""
    from apps.initiatives.models import ActorMessage

    sent = ActorMessage.objects.filter(sender=user).select_related("actor").order_by("pk")
    received = ActorMessage.objects.filter(actor__person=user).select_related("actor", "sender").order_by("pk")
    return [
        {
            "direction": "sent",
            "to": m.actor.name,
            "body": m.body,
            "reply_to": m.reply_to,
            "sent_at": iso(m.sent_at),
            "outcome": m.outcome,
        }
        for m in sent
    ] + [
        {
            "direction": "received",
            "entry": m.actor.name,
            "from": m.sender.public_name,
            "body": m.body,
            "reply_to": m.reply_to,
            "sent_at": iso(m.sent_at),
            "reported_at": iso(m.reported_at),
            "report_reason": m.report_reason,
        }
        for m in received
    ]


def _open_doors(user: User) -> Rows:
    from apps.initiatives.models import OpenDoor

    queryset = OpenDoor.objects.filter(created_by=user).select_related("initiative").order_by("starts_at", "pk")
    return [
        {
            "initiative": d.initiative.title,
            "starts_at": iso(d.starts_at),
            "ends_at": iso(d.ends_at),
            "place": d.place,
            "description": d.description,
        }
        for d in queryset
    ]


def export(user: User) -> dict[str, Rows]:
    from apps.initiatives.models import CoHolder

    return {
        "initiatives": _initiatives(user),
        "pledges": _pledges(user),
        "help_offers": _offers(user),
        "time_given": _time(user),
        "directory": _directory(user),
        "directory_messages": _messages(user),
        "open_doors": _open_doors(user),
        "co_held": [
            {"initiative": row.initiative.title, "since": iso(row.created_at)}
            for row in CoHolder.objects.filter(person=user).select_related("initiative").order_by("pk")
        ],
        closing_personal_data.SECTION: closing_personal_data.export(user),
    }


def anonymise(user: User, label: str) -> None:
    from apps.initiatives.models import CoHolder, HelpOffer, Initiative, TimeGiven

    Initiative.objects.filter(holder=user).update(holder=None, holder_name="", holder_contact="")
    HelpOffer.objects.filter(person=user).delete()
    TimeGiven.objects.filter(person=user).delete()
    CoHolder.objects.filter(person=user).delete()


PERSONAL_DATA = PersonalData(
    holdings=HOLDINGS,
    export=export,
    anonymise=anonymise,
    labels={
        "initiatives": _("Idées et initiatives déposées"),
        "pledges": _("Promesses de dons (matchfunding)"),
        "help_offers": _("Aide proposée à des initiatives"),
        "time_given": _("Temps donné à des initiatives"),
        "co_held": _("Initiatives portées avec d'autres"),
        "directory": _("Fiches dans l'annuaire des acteurs"),
        "directory_messages": _("Messages écrits ou reçus par l'annuaire des acteurs"),
        "open_doors": _("Portes ouvertes annoncées"),
        closing_personal_data.SECTION: _("Justificatifs et bilans de projets déposés"),
    },
)
