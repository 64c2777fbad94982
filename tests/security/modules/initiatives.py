"""The initiatives module in the security fixture world and the permission matrix.

``resident`` holds the ideas of the world; ``other_resident`` holds none. Staff roles are scoped
to ``world.quartier``; the administrator elsewhere manages another quartier only."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from apps.initiatives.models import (
    Actor,
    Call,
    CoHolder,
    Decision,
    HelpOffer,
    Initiative,
    JuryMember,
    LedgerEntry,
    OpenDoor,
    Payment,
    Pledge,
    Resource,
    Step,
    TimeGiven,
)
from apps.sittings.models import Sitting
from tests.security.matrix_base import PUBLIC, SIGNED_IN, Route, per
from tests.security.modules.initiatives_closing import CLOSING_ROUTES, closing_fingerprint, extend_world_closing

if TYPE_CHECKING:
    from tests.security.world import World


def extend_world(world: World) -> None:
    """Add this module's objects to ``world.extra["initiatives"]``."""
    from apps.initiatives import community, matchfunding, services
    from tests.initiatives.factories import file_idea, make_call, seat_jury, submitted

    agent, resident = world.people["agent"], world.people["resident"]
    assert agent is not None and resident is not None
    quartier = world.quartier
    resource = services.resource_save(
        actor=agent,
        kind="room",
        name="Salle polyvalente",
        description="40 places",
        conditions="Gratuite",
        contact="Accueil de la mairie",
        territory=quartier,
        is_published=True,
    )
    idea = file_idea(resident, quartier, title="Une boîte à livres")
    services.referent_assign(actor=agent, initiative=idea, referent=agent)
    private = file_idea(resident, quartier, title="Une idée discrète", is_public=False)
    jury_call = make_call(agent, quartier, title="Bureau des projets du quartier", slug="bureau-quartier")
    seat_jury(agent, jury_call)
    sitting = services.jury_sitting_create(
        actor=agent,
        call=jury_call,
        title="Jury",
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        place="Mairie",
    )
    dossier = submitted(resident, quartier, jury_call, title="Un tournoi de quartier")
    open_call = make_call(
        agent, quartier, mode=Call.Mode.OPEN, title="Appel à agir", slug="appel-a-agir", match_ratio=Decimal(1)
    )
    granted = submitted(resident, quartier, open_call, title="Un composteur")
    services.decision_record(
        actor=agent, initiative=granted, outcome="accepted", amount=Decimal("300.00"), reasons="Conforme."
    )
    granted.refresh_from_db()
    other = world.people["other_resident"]
    assert other is not None
    pledge = matchfunding.pledge_create(donor=other, initiative=granted, amount=Decimal(12))
    draft_call = make_call(agent, quartier, title="Appel en préparation", slug="appel-brouillon", is_published=False)
    # « Rejoindre » and the time given: the other resident joined the idea and gave two hours.
    community.help_offer(person=other, initiative=idea, skills="Menuiserie")
    community.time_record(
        actor=resident,
        initiative=idea,
        person=other,
        day=timezone.localdate(),
        hours=Decimal(2),
        activity="Montage",
        skills="menuiserie",
    )
    # A sortition draw on the quartier, whose confirmed members may sit on the jury.
    from apps.sortition.models import PoolMember
    from tests.councils.factories import DrawFactory, PoolMemberFactory

    draw = DrawFactory.create(territory=quartier)
    PoolMemberFactory.create(draw=draw, status=PoolMember.Status.CONFIRMED)
    realised = file_idea(resident, quartier, title="Une fresque")
    services.step_record(actor=agent, initiative=realised, kind=Step.Kind.REALISED, note="Inaugurée.")
    realised.refresh_from_db()
    showcase = _extend_showcase(world, idea)
    world.extra["initiatives"] = SimpleNamespace(
        **showcase,
        resource=resource,
        idea=idea,
        private=private,
        jury_call=jury_call,
        sitting=sitting,
        dossier=dossier,
        open_call=open_call,
        granted=granted,
        draft_call=draft_call,
        pledge=pledge,
        realised=realised,
        draw=draw,
    )
    extend_world_closing(world)


def _extend_showcase(world: World, idea: Initiative) -> dict[str, Any]:
    """The directory (the other resident listed, an association the resident proposed, a
    collective waiting for validation) and an open door of the resident's idea."""
    from apps.initiatives import directory, directory_messages, open_doors

    agent, resident, other = (world.people[name] for name in ("agent", "resident", "other_resident"))
    assert agent is not None and resident is not None and other is not None
    listed = directory.resident_entry_save(
        person=other, name="Awa", skills="Couture", description="", territory=world.quartier, show_initiatives=True
    )
    kwargs: dict[str, Any] = {"description": "", "territory": world.quartier, "website": ""}
    association = directory.organisation_propose(
        person=resident, kind="association", name="Les Amis du square", skills="Jardinage", **kwargs
    )
    directory.actor_moderate(agent=agent, actor=association, publish=True)
    pending = directory.organisation_propose(
        person=other, kind="collective", name="Collectif Vélo", skills="Réparation", **kwargs
    )
    door = open_doors.open_door_announce(
        actor=resident,
        initiative=idea,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=None,
        place="Square",
        description="Venez voir",
    )
    # Two messages to the listed resident: one to read and report, one she reported already.
    message = directory_messages.actor_contact(sender=resident, actor=listed, message="Bonjour Awa", reply_to="")
    reported = directory_messages.actor_contact(sender=resident, actor=listed, message="Achetez !", reply_to="")
    directory_messages.message_report(user=other, message=reported, reason="Démarchage")
    return {
        "listed": listed,
        "association": association,
        "pending_actor": pending,
        "door": door,
        "message": message,
        "reported_message": reported,
    }


def _x(world: World) -> Any:
    return world.extra["initiatives"]


def _pk(attr: str) -> Any:
    return lambda w: {"pk": getattr(_x(w), attr).pk}


def _slug(attr: str) -> Any:
    return lambda w: {"slug": getattr(_x(w), attr).slug}


def _idea_data(w: World) -> dict[str, Any]:
    return {
        "title": "Un atelier vélo",
        "description": "Réparer ensemble.",
        "place": "Square",
        "territory": w.quartier.pk,
        "who": "Des voisin·es",
        "category": "no_box",
        "helps": ["equipment"],
        "is_public": "on",
        "channel": "counter",
        "holder_name": "Mme R.",
        "holder_contact": "",
    }


def _call_data(w: World) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "title": "Nouvel appel",
        "territory": w.quartier.pk,
        "mode": "open",
        "budget": "1000",
        "max_amount": "200",
        "rules": "Règles",
        "criteria": "Critères",
        "opens_on": today.strftime("%d/%m/%Y"),
        "closes_on": today.strftime("%d/%m/%Y"),
        "decides_on": today.strftime("%d/%m/%Y"),
    }


def _resource_data(w: World) -> dict[str, Any]:
    return {
        "kind": "equipment",
        "name": "Barnums",
        "description": "Prêt",
        "contact": "Centre technique",
        "territory": w.quartier.pk,
        "is_published": "on",
    }


# Back-office shapes of this module: agents and élu·es of the quartier read, agents act.
READERS_ANYWHERE = per("denied", anonymous="login", agent="ok", elu="ok", admin_elsewhere="ok")
MANAGERS_ANYWHERE = per("denied", anonymous="login", agent="ok", admin_elsewhere="ok")
READERS_HERE = per("denied", anonymous="login", agent="ok", elu="ok")
AGENT_POSTS = per("denied", anonymous="login", agent="redirect")
# The administrator elsewhere may act in its own quartier: here its form answers with errors.
AGENT_POSTS_ELSEWHERE_ERRORS = per("denied", anonymous="login", agent="redirect", admin_elsewhere="allowed")

ROUTES: list[Route] = [
    # ---- public -------------------------------------------------------------------------
    Route("initiatives:home", PUBLIC, query="?quartier=%EF%BC%91"),
    Route("initiatives:resources", PUBLIC, query="?type=room"),
    Route(
        "initiatives:file",
        SIGNED_IN,
        post=per("redirect", anonymous="login"),
        data=lambda w: {
            k: v for k, v in _idea_data(w).items() if k not in {"channel", "holder_name", "holder_contact"}
        },
    ),
    # The holder presents the idea to a call; nobody else may.
    Route(
        "initiatives:detail",
        PUBLIC,
        _pk("idea"),
        post=per("denied", resident="redirect"),
        data=lambda w: {"call": _x(w).jury_call.pk, "amount_requested": "120,50"},
    ),
    Route("initiatives:detail", per("denied", resident="ok", agent="ok", elu="ok"), _pk("private"), case="private"),
    Route(
        "initiatives:pledge",
        None,
        _pk("granted"),
        post=per("redirect", anonymous="login"),
        data=lambda w: {"amount": "10"},
    ),
    Route("initiatives:call", PUBLIC, _slug("jury_call")),
    Route("initiatives:stories", PUBLIC, query="?page=x"),
    Route("initiatives:review", PUBLIC, query="?annee=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%97"),
    # « Rejoindre »: anyone signed in but the holder; who already joined sees it and cannot post twice.
    Route(
        "initiatives:join",
        per("ok", anonymous="login", resident="denied"),
        _pk("idea"),
        post=per("redirect", anonymous="login", resident="denied", other_resident="denied"),
        data=lambda w: {"skills": "Cuisine", "message": "", "contact": ""},
    ),
    # The helpers and the time given: the holder and the quartier's agents.
    Route(
        "initiatives:time",
        per("denied", anonymous="login", resident="ok", agent="ok"),
        _pk("idea"),
        post=per("denied", anonymous="login", resident="redirect", agent="redirect"),
        data=lambda w: {
            "person": w.people["other_resident"].pk,
            "day": timezone.localdate().strftime("%d/%m/%Y"),
            "hours": "1,5",
            "activity": "Peinture",
            "skills": "peinture",
        },
    ),
    # The holder (or an agent) makes someone who joined a co-holder.
    Route(
        "initiatives:co_holder",
        None,
        _pk("idea"),
        post=per("denied", anonymous="login", resident="redirect", agent="redirect"),
        data=lambda w: {"person": w.people["other_resident"].pk},
    ),
    # The attestation is the person's own: only who gave time on the project downloads it.
    Route("initiatives:attestation", per("denied", anonymous="login", other_resident="ok"), _pk("idea")),
    Route(
        "initiatives:story",
        per("denied", anonymous="login", resident="ok", agent="ok"),
        _pk("realised"),
        post=per("denied", anonymous="login", resident="redirect", agent="redirect"),
        data=lambda w: {"story": "Vingt jeunes ont peint la fresque du gymnase en trois samedis."},
    ),
    Route("initiatives:call", per("denied", agent="ok", elu="ok"), _slug("draft_call"), case="draft"),
    # ---- map, directory of actors, portes ouvertes --------------------------------------
    Route("initiatives:map", PUBLIC, query="?quartier=%EF%BC%91&theme=nope"),
    Route("initiatives:actors", PUBLIC, query="?q=couture&quartier=x&type=resident"),
    Route("initiatives:actor", PUBLIC, _pk("listed")),
    # A proposal waiting for validation: its proposer and the quartier's agents only.
    Route("initiatives:actor", per("denied", other_resident="ok", agent="ok"), _pk("pending_actor"), case="pending"),
    # Anyone signed in writes to an entry, except the person behind it.
    Route(
        "initiatives:actor_contact",
        per("ok", anonymous="login", other_resident="denied"),
        _pk("listed"),
        post=per("redirect", anonymous="login", other_resident="denied"),
        data=lambda w: {"message": "Bonjour, pouvez-vous nous aider samedi ?", "reply_to": ""},
    ),
    # A message received through the directory: its recipient only (not its sender, nor agents).
    Route(
        "initiatives:actor_message",
        per("denied", anonymous="login", other_resident="ok"),
        _pk("message"),
        post=per("denied", anonymous="login", other_resident="redirect"),
        data=lambda w: {"reason": "Propos insultants"},
    ),
    Route(
        "initiatives:my_entry",
        SIGNED_IN,
        post=per("redirect", anonymous="login"),
        data=lambda w: {"name": "Voisin·e", "skills": "Cuisine", "territory": w.quartier.pk, "description": ""},
    ),
    Route("initiatives:my_entry_withdraw", None, post=per("redirect", anonymous="login")),
    Route(
        "initiatives:actor_propose",
        SIGNED_IN,
        post=per("redirect", anonymous="login"),
        data=lambda w: {"kind": "collective", "name": "Les Jardins", "skills": "Jardinage", "territory": w.quartier.pk},
    ),
    # Only who proposed an association takes it out.
    Route(
        "initiatives:actor_withdraw",
        None,
        _pk("association"),
        post=per("denied", anonymous="login", resident="redirect"),
    ),
    Route("initiatives:open_doors", PUBLIC, query="?quartier=abc&page=x"),
    Route("initiatives:open_doors_feed", PUBLIC),
    Route(
        "initiatives:open_door_announce",
        per("denied", anonymous="login", resident="ok", agent="ok"),
        _pk("idea"),
        post=per("denied", anonymous="login", resident="redirect", agent="redirect"),
        data=lambda w: {
            "starts_at": (timezone.localtime() + datetime.timedelta(days=7)).strftime("%d/%m/%Y %H:%M"),
            "place": "Square",
            "description": "Atelier ouvert",
        },
    ),
    Route(
        "initiatives:open_door_cancel",
        None,
        _pk("door"),
        post=per("denied", anonymous="login", resident="redirect", agent="redirect"),
    ),
    # ---- back office --------------------------------------------------------------------
    Route("initiatives_admin:queue", READERS_ANYWHERE),
    Route("initiatives_admin:file", MANAGERS_ANYWHERE, post=AGENT_POSTS_ELSEWHERE_ERRORS, data=_idea_data),
    Route(
        "initiatives_admin:detail",
        READERS_HERE,
        _pk("idea"),
        post=AGENT_POSTS,
        data=lambda w: {"action": "step", "kind": "contact", "note": "Appel au téléphone"},
    ),
    Route(
        "initiatives_admin:decide",
        READERS_HERE,
        _pk("dossier"),
        post=AGENT_POSTS,
        data=lambda w: {
            "action": "decision",
            "outcome": "conditions",
            "amount": "250",
            "conditions": "Associer l'école",
            "reasons": "Projet collectif.",
            "sitting": _x(w).sitting.pk,
        },
    ),
    Route(
        "initiatives_admin:decide",
        READERS_HERE,
        _pk("granted"),
        post=AGENT_POSTS,
        data=lambda w: {
            "action": "payment",
            "versement-amount": "100",
            "versement-paid_on": timezone.localdate().strftime("%d/%m/%Y"),
            "versement-reference": "M-1",
        },
        case="payment",
    ),
    Route(
        "initiatives_admin:detail",
        READERS_HERE,
        _pk("idea"),
        post=AGENT_POSTS,
        data=lambda w: {"action": "merge", "target": _x(w).dossier.pk},
        case="merge",
    ),
    Route(
        "initiatives_admin:call",
        READERS_HERE,
        _pk("jury_call"),
        post=AGENT_POSTS,
        data=lambda w: {
            "action": "draw",
            "tirage-draw": _x(w).draw.pk,
            "tirage-seats": "1",
            "tirage-term_end": (timezone.localdate() + datetime.timedelta(days=300)).strftime("%d/%m/%Y"),
        },
        case="draw",
    ),
    Route("initiatives_admin:calls", READERS_ANYWHERE),
    Route("initiatives_admin:call_create", MANAGERS_ANYWHERE, post=AGENT_POSTS_ELSEWHERE_ERRORS, data=_call_data),
    Route(
        "initiatives_admin:call",
        READERS_HERE,
        _pk("jury_call"),
        post=AGENT_POSTS,
        data=lambda w: {
            "action": "jury",
            "jury-name": "Nouvelle habitante",
            "jury-college": "resident",
            "jury-designation": "drawn",
            "jury-term_end": (timezone.localdate() + datetime.timedelta(days=300)).strftime("%d/%m/%Y"),
        },
    ),
    Route(
        "initiatives_admin:reconcile",
        MANAGERS_ANYWHERE,
        post=AGENT_POSTS_ELSEWHERE_ERRORS,
        data=lambda w: {"reference": _x(w).pledge.reference, "amount": "12"},
    ),
    Route(
        "initiatives_admin:resources",
        READERS_ANYWHERE,
        post=AGENT_POSTS_ELSEWHERE_ERRORS,
        data=_resource_data,
    ),
    # Agents of the quartier validate the directory's proposals; elsewhere, out of scope.
    Route(
        "initiatives_admin:actors",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="redirect"),
        data=lambda w: {"actor": _x(w).pending_actor.pk, "action": "publish"},
    ),
    Route(
        "initiatives_admin:actor_messages",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="redirect"),
        data=lambda w: {"message": _x(w).reported_message.pk, "action": "dismiss"},
    ),
    *CLOSING_ROUTES,
]


def fingerprint() -> dict[str, Any]:
    models = (
        Initiative,
        Step,
        Resource,
        Call,
        JuryMember,
        Decision,
        Payment,
        Sitting,
        Pledge,
        LedgerEntry,
        HelpOffer,
        TimeGiven,
        CoHolder,
        Actor,
        OpenDoor,
    )
    snapshot: dict[str, Any] = {model.__name__: model._base_manager.count() for model in models}
    snapshot["ideas"] = sorted(
        Initiative.objects.values_list(
            "pk", "stage", "referent_id", "first_reply_at", "call_id", "amount_requested", "merged_into_id"
        )
    )
    snapshot["stories"] = sorted(Initiative.objects.exclude(story="").values_list("pk", "story"))
    snapshot["actors"] = sorted(Actor.objects.values_list("pk", "state", "name", "skills"))
    snapshot["calls"] = sorted(Call.objects.values_list("pk", "committed", "is_published"))
    snapshot["pledges"] = sorted(Pledge.objects.values_list("pk", "state"))
    snapshot["decisions"] = sorted(Decision.objects.values_list("pk", "outcome", "amount", "paid"))
    snapshot.update(closing_fingerprint())
    return snapshot
