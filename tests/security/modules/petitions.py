"""The petitions module in the security fixture world and the permission matrix."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from tests.security.matrix_base import PUBLIC, SIGNED_IN, Route, per

if TYPE_CHECKING:
    from tests.security.world import World

STAFF_OF_QUARTIER = per("denied", agent="ok", elu="ok", moderator="ok")
BO_READERS = per("denied", anonymous="login", agent="ok", elu="ok", moderator="ok")
AGENT_GET = per("denied", anonymous="login", agent="ok")
AGENT_POST = per("denied", anonymous="login", agent="redirect")
ELSEWHERE_GET = per("denied", anonymous="login", admin_elsewhere="ok")
SIGNED_IN_POST = per("redirect", anonymous="login")


def extend_world(world: World) -> None:
    from apps.petitions.models import Agora, CommitteeMember, Petition, PetitionRule, Signature, Stakeholder
    from apps.sittings.models import Sitting

    now = timezone.now()
    PetitionRule.objects.create(
        kind="petition", level="quartier", threshold=2, verification="email", process=world.process
    )
    PetitionRule.objects.create(
        kind="saisine", level="quartier", threshold=2, verification="email", process=world.process
    )

    def petition(title: str, territory: Any, author: Any, **values: Any) -> Petition:
        fields: dict[str, Any] = {
            "title": title,
            "body": "Nous demandons à la Ville d'agir. " * 3,
            "recipient": "Le maire",
            "territory": territory,
            "author": author,
            "process": world.process if territory == world.quartier else world.other_process,
            "threshold": 2,
            "verification": "email",
            "duration_days": 60,
            "answer_days": 30,
            "committee_token": f"jeton-{title[:10].lower().replace(' ', '-')}",
        }
        fields.update(values)
        created = Petition.objects.create(**fields)
        CommitteeMember.objects.create(petition=created, user=author, public_name="Bruno V.", agrees_to_be_named=True)
        return created

    collecting = {"state": "collecting", "published_at": now, "closes_at": now + datetime.timedelta(days=30)}
    open_petition = petition("Ombre sur la place", world.quartier, world.people["other_resident"], **collecting)
    pending = petition("Pétition en attente", world.quartier, world.people["resident"])
    rejected = petition(
        "Pétition refusée",
        world.quartier,
        world.people["other_resident"],
        state="rejected",
        rejection_reason="Hors charte.",
    )
    reached = petition(
        "Traversée de l'école",
        world.quartier,
        world.people["other_resident"],
        **collecting,
        threshold=1,
        signature_count=1,
        reached_at=now,
        answer_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    Signature.objects.create(
        petition=reached, person_key="p:matrice", channel="paper", territory=world.quartier, signed_on=now.date()
    )
    other = petition("Guinguette des berges", world.other_quartier, world.people["other_resident"], **collecting)
    agora = Agora.objects.create(
        title="Agora de la place",
        problem="Le bruit la nuit.",
        territory=world.quartier,
        process=world.process,
        petition=open_petition,
        is_published=True,
    )
    draft_agora = Agora.objects.create(
        title="Agora en préparation", problem="Stationnement.", territory=world.quartier, process=world.process
    )
    other_agora = Agora.objects.create(
        title="Agora des berges", problem="Le bruit.", territory=world.other_quartier, process=world.other_process
    )
    sitting = Sitting.objects.create(
        body=agora, title="Séance 1", starts_at=now, place="Maison de quartier", is_published=True
    )
    stakeholder = Stakeholder.objects.create(
        agora=agora, kind="association", organisation="Amicale des riverains", email="amicale@example.org"
    )
    world.extra["petitions"] = SimpleNamespace(
        stakeholder=stakeholder,
        open=open_petition,
        pending=pending,
        rejected=rejected,
        reached=reached,
        other=other,
        agora=agora,
        draft_agora=draft_agora,
        other_agora=other_agora,
        sitting=sitting,
    )


def _p(world: World) -> SimpleNamespace:
    value: SimpleNamespace = world.extra["petitions"]
    return value


def _pk(attr: str) -> Any:
    return lambda world: {"pk": getattr(_p(world), attr).pk}


def _petition_data(world: World) -> dict[str, Any]:
    return {
        "kind": "petition",
        "title": "Réparer la fontaine Zéphyrine",
        "body": "La fontaine Zéphyrine est en panne depuis deux étés ; nous demandons sa réparation rapide.",
        "recipient": "Le maire",
        "territory": world.quartier.pk,
    }


def _sign_data(world: World) -> dict[str, Any]:
    return {
        "family_name": "Matrice",
        "first_name": "Zéphyrine",
        "birth_date": "1984-03-02",
        "address": "3 rue des Essais",
        "postal_code": "44000",
    }


def _paper_data(world: World) -> dict[str, Any]:
    return {
        "family_name": "Le Goff",
        "first_name": "Yannick",
        "birth_date": "12/03/1961",
        "address": "3 rue des Lilas",
        "postal_code": "44000",
        "territory": world.quartier.pk,
    }


def _agora_data(world: World) -> dict[str, Any]:
    return {
        "title": "Agora du square",
        "problem": "Conflit d'usage.",
        "territory": world.quartier.pk,
        "process": world.process.pk,
    }


ROUTES: list[Route] = [
    # ---- public pages --------------------------------------------------------------------------
    Route("petitions:list", PUBLIC),
    Route("petitions:detail", PUBLIC, _pk("open")),
    Route("petitions:detail", PUBLIC, _pk("rejected"), case="rejected"),
    # A pending petition: its author (resident) and the staff of its quartier only.
    Route(
        "petitions:detail",
        per("denied", resident="ok", agent="ok", elu="ok", moderator="ok"),
        _pk("pending"),
        case="pending",
    ),
    Route("petitions:create", SIGNED_IN, post=SIGNED_IN_POST, data=_petition_data),
    Route("petitions:sign", SIGNED_IN, _pk("open"), post=SIGNED_IN_POST, data=_sign_data),
    Route(
        "petitions:join",
        SIGNED_IN,
        lambda w: {"pk": _p(w).open.pk, "token": _p(w).open.committee_token},
        post=SIGNED_IN_POST,
        data=lambda w: {"agrees_to_be_named": "on"},
    ),
    Route(
        "petitions:join",
        per("denied", anonymous="login"),
        lambda w: {"pk": _p(w).open.pk, "token": "mauvais-jeton"},
        case="bad-token",
    ),
    Route("petitions:agora_list", PUBLIC),
    Route("petitions:agora", PUBLIC, _pk("agora")),
    Route("petitions:agora", STAFF_OF_QUARTIER, _pk("draft_agora"), case="draft"),
    # ---- back office ---------------------------------------------------------------------------
    Route(
        "petitions_admin:list",
        per("denied", anonymous="login", agent="ok", elu="ok", moderator="ok", admin_elsewhere="ok"),
    ),
    # The rules of the game are the whole city's: only a city-wide administrator sets them.
    Route(
        "petitions_admin:rules",
        per("denied", anonymous="login"),
        post=per("denied", anonymous="login"),
        data=lambda w: {
            "kind": "petition",
            "level": "city",
            "threshold": "9",
            "verification": "email",
            "duration_days": "30",
            "answer_days": "30",
            "process": w.process.pk,
        },
    ),
    Route("petitions_admin:detail", BO_READERS, _pk("open")),
    Route("petitions_admin:detail", ELSEWHERE_GET, _pk("other"), case="elsewhere"),
    Route(
        "petitions_admin:moderate",
        per("denied", anonymous="login", moderator="ok"),
        _pk("pending"),
        post=per("denied", anonymous="login", moderator="redirect"),
        data=lambda w: {"decision": "publish"},
    ),
    Route("petitions_admin:paper", AGENT_GET, _pk("open"), post=AGENT_POST, data=_paper_data),
    # Agents draft; the élue of the quartier signs and publishes.
    Route(
        "petitions_admin:answer",
        per("denied", anonymous="login", agent="ok", elu="ok"),
        _pk("reached"),
        post=per("denied", anonymous="login", agent="redirect", elu="redirect"),
        data=lambda w: {"status": "council", "body": "Inscrit au prochain conseil de quartier.", "action": "publish"},
    ),
    Route(
        "petitions_admin:agora_create",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="redirect", admin_elsewhere="invalid"),
        data=_agora_data,
    ),
    Route(
        "petitions_admin:agora",
        AGENT_GET,
        _pk("agora"),
        post=AGENT_POST,
        data=lambda w: {
            "title": "Agora de la place",
            "problem": "Le bruit.",
            "diagnosis": "Partagé.",
            "is_published": "on",
        },
    ),
    Route("petitions_admin:agora", ELSEWHERE_GET, _pk("other_agora"), case="elsewhere"),
    Route(
        "petitions_admin:stakeholder_add",
        AGENT_GET,
        _pk("agora"),
        post=AGENT_POST,
        data=lambda w: {"kind": "association", "organisation": "Amicale laïque"},
    ),
    # POST only: the invitation leaves by e-mail and the day is kept.
    Route("petitions_admin:stakeholder_invite", None, _pk("stakeholder"), post=AGENT_POST),
    Route(
        "petitions_admin:sitting_add",
        AGENT_GET,
        _pk("agora"),
        post=AGENT_POST,
        data=lambda w: {"title": "Séance 2", "starts_at": "01/12/2026 18:00", "place": "Salle"},
    ),
    Route(
        "petitions_admin:action_add",
        AGENT_GET,
        _pk("agora"),
        post=AGENT_POST,
        data=lambda w: {"title": "Poser des bancs"},
    ),
    # One sitting, no diagnosis, no action: the close is refused with its reasons (400).
    Route(
        "petitions_admin:agora_close",
        AGENT_GET,
        _pk("agora"),
        post=per("denied", anonymous="login", agent="invalid"),
        data=lambda w: {"closed_on": "01/12/2026", "report": "Ce qui a été tenté."},
    ),
    Route(
        "petitions_admin:minutes",
        AGENT_GET,
        _pk("sitting"),
        post=AGENT_POST,
        data=lambda w: {"minutes": "Accord sur trois actions."},
    ),
]


def fingerprint() -> dict[str, Any]:
    from apps.petitions.models import ActionItem, Agora, CommitteeMember, Petition, PetitionRule, Signature, Stakeholder
    from apps.sittings.models import Sitting

    return {
        "rules": sorted(PetitionRule.objects.values_list("kind", "level", "threshold")),
        "petitions": sorted(Petition.objects.values_list("pk", "state", "signature_count", "route", "title")),
        "signatures": sorted(Signature.objects.values_list("petition_id", "person_key")),
        "committee": sorted(CommitteeMember.objects.values_list("petition_id", "user_id", "agrees_to_be_named")),
        "agoras": sorted(Agora.objects.values_list("pk", "title", "state", "diagnosis", "is_published")),
        "stakeholders": sorted(Stakeholder.objects.values_list("pk", "invited_on")),
        "actions": ActionItem.objects.count(),
        "sittings": sorted(Sitting.objects.filter(agora__isnull=False).values_list("pk", "minutes")),
    }
