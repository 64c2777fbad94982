"""The councils module in the security fixture world and the permission matrix."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from tests.security.matrix_base import PUBLIC, Route, per

if TYPE_CHECKING:
    from tests.security.world import World

# Agents (and administrators) of the council's territory act; élus read the back office.
READERS = per("denied", anonymous="login", agent="ok", elu="ok")
AGENT_GET = per("denied", anonymous="login", agent="ok")
AGENT_POST = per("denied", anonymous="login", agent="redirect")
ELSEWHERE_GET = per("denied", anonymous="login", admin_elsewhere="ok")
ELSEWHERE_POST = per("denied", anonymous="login", admin_elsewhere="redirect")
DRAFT = per("denied", agent="ok", elu="ok")


def _today() -> str:
    return timezone.localdate().isoformat()


def extend_world(world: World) -> None:
    """Add this module's objects to ``world.extra["councils"]``."""
    from apps.councils.models import College, Council, Decision, Membership
    from apps.sittings.models import Sitting
    from apps.sortition.models import Draw, PoolMember

    today = timezone.localdate()
    council = Council.objects.create(
        kind=Council.Kind.CITIZEN_COUNCIL,
        name="Conseil citoyen de Malakoff",
        slug="conseil-citoyen-malakoff",
        territory=world.quartier,
        mission="Associer les habitant·es au contrat de ville.",
        seats_drawn=6,
        seats_local_actors=3,
        is_published=True,
    )
    draft = Council.objects.create(
        kind=Council.Kind.JURY,
        name="Jury en préparation",
        slug="jury-en-preparation",
        territory=world.quartier,
        mission="Choisir les projets.",
        seats_elected=2,
        seats_volunteers=2,
    )
    other = Council.objects.create(
        kind=Council.Kind.CITIZEN_COUNCIL,
        name="Conseil citoyen de Bellevue",
        slug="conseil-citoyen-bellevue-matrice",
        territory=world.other_quartier,
        mission="Associer les habitant·es.",
        seats_drawn=4,
        is_published=True,
    )

    def member(target: Council, public: str, **extra: Any) -> Membership:
        values: dict[str, Any] = {
            "council": target,
            "college": College.DRAWN,
            "origin": Membership.Origin.DRAWN,
            "full_name": f"{public} Nomprivé",
            "public_name": public,
            "term_start": today - datetime.timedelta(days=300),
            "term_end": today + datetime.timedelta(days=400),
        }
        values.update(extra)
        return Membership.objects.create(**values)

    own = member(council, "Awa R.", user=world.people["resident"])
    expired = member(council, "Bruno V.", term_end=today)  # due for renewal
    other_member = member(other, "Chloé B.", user=world.people["other_resident"])
    meeting = Sitting.objects.create(
        body=council,
        title="Plénière de rentrée",
        starts_at=timezone.now() - datetime.timedelta(days=20),
        place="Maison de quartier",
        minutes="Avis adopté.",
        is_published=True,
    )
    draft_meeting = Sitting.objects.create(
        body=council, title="Réunion à venir", starts_at=timezone.now(), place="Mairie annexe"
    )
    other_meeting = Sitting.objects.create(
        body=other, title="Plénière", starts_at=timezone.now(), place="Salle", is_published=True
    )
    decision = Decision.objects.create(
        council=council,
        kind=Decision.Kind.OPINION,
        title="Avis sur l'éclairage",
        text="Éclairer le cheminement.",
        decided_on=today,
        is_published=True,
    )
    other_decision = Decision.objects.create(
        council=other, kind=Decision.Kind.OPINION, title="Avis", text="Texte", decided_on=today
    )
    draw = Draw.objects.create(
        title="Tirage du conseil citoyen",
        slug="tirage-conseil-citoyen-matrice",
        territory=world.quartier,
        panel_size=2,
        list_source=Draw.ListSource.SOCIAL_LANDLORD,
        legal_basis="Loi du 21 février 2014.",
        purge_on=today + datetime.timedelta(days=200),
        state=Draw.State.DRAWN,
    )
    for index in range(2):
        PoolMember.objects.create(
            draw=draw,
            identifier=f"CC{index}",
            pseudonym=f"P-CC{index}",
            personal={"first_name": "Locataire", "last_name": f"N{index}"},
            status=PoolMember.Status.CONFIRMED,
        )
    world.extra["councils"] = SimpleNamespace(
        council=council,
        draft=draft,
        other=other,
        own=own,
        expired=expired,
        other_member=other_member,
        meeting=meeting,
        draft_meeting=draft_meeting,
        other_meeting=other_meeting,
        decision=decision,
        other_decision=other_decision,
        draw=draw,
    )


def _c(world: World) -> SimpleNamespace:
    value: SimpleNamespace = world.extra["councils"]
    return value


def _pk(attr: str) -> Any:
    return lambda world: {"pk": getattr(_c(world), attr).pk}


def _slug_pk(council: str, attr: str) -> Any:
    return lambda world: {"slug": getattr(_c(world), council).slug, "pk": getattr(_c(world), attr).pk}


def _council_data(territory: str) -> Any:
    return lambda world: {
        "kind": "conseil_citoyen",
        "name": "Conseil citoyen du Breil",
        "territory": getattr(world, territory).pk,
        "mission": "Associer les habitants.",
        "seats_drawn": "12",
        "seats_volunteers": "0",
        "seats_local_actors": "4",
        "seats_elected": "0",
        "term_months": "24",
        "renewal_rule": "halves",
    }


def _member_data(world: World) -> dict[str, Any]:
    return {"college": "local_actors", "origin": "appointed", "full_name": "Nadia Haddad", "term_start": _today()}


def _meeting_data(world: World) -> dict[str, Any]:
    return {"title": "Plénière", "starts_at": "2026-12-01T18:00", "place": "Maison de quartier", "is_published": "on"}


def _decision_data(world: World) -> dict[str, Any]:
    return {"kind": "opinion", "title": "Avis", "text": "Texte de l'avis.", "decided_on": _today()}


ROUTES: list[Route] = [
    # ---- public pages --------------------------------------------------------------------------
    Route("councils:list", PUBLIC),
    Route("councils:detail", PUBLIC, lambda w: {"slug": _c(w).council.slug}),
    Route("councils:detail", DRAFT, lambda w: {"slug": _c(w).draft.slug}, case="draft"),
    Route("councils:meeting", PUBLIC, _slug_pk("council", "meeting")),
    Route("councils:meeting", DRAFT, _slug_pk("council", "draft_meeting"), case="draft"),
    Route("councils:meeting", PUBLIC, _slug_pk("other", "other_meeting"), case="elsewhere"),
    # The member themself, or an agent of the council's territory: never another resident.
    Route(
        "councils:attestation",
        per("denied", anonymous="login", resident="ok", agent="ok"),
        _slug_pk("council", "own"),
    ),
    Route(
        "councils:attestation",
        per("denied", anonymous="login", other_resident="ok", admin_elsewhere="ok"),
        _slug_pk("other", "other_member"),
        case="elsewhere",
    ),
    # ---- back office ---------------------------------------------------------------------------
    Route("councils_admin:list", per("denied", anonymous="login", agent="ok", elu="ok", admin_elsewhere="ok")),
    Route(
        "councils_admin:create",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="redirect", admin_elsewhere="invalid"),
        data=_council_data("quartier"),
    ),
    Route("councils_admin:detail", READERS, _pk("council")),
    Route("councils_admin:detail", READERS, _pk("draft"), case="draft"),
    Route("councils_admin:detail", ELSEWHERE_GET, _pk("other"), case="elsewhere"),
    Route("councils_admin:edit", AGENT_GET, _pk("council"), post=AGENT_POST, data=_council_data("quartier")),
    Route(
        "councils_admin:edit",
        ELSEWHERE_GET,
        _pk("other"),
        post=ELSEWHERE_POST,
        data=_council_data("other_quartier"),
        case="elsewhere",
    ),
    Route("councils_admin:member_add", AGENT_GET, _pk("council"), post=AGENT_POST, data=_member_data),
    Route(
        "councils_admin:member_import",
        AGENT_GET,
        _pk("council"),
        post=AGENT_POST,
        data=lambda w: {"draw": _c(w).draw.pk, "term_start": _today()},
    ),
    Route("councils_admin:renewal", AGENT_GET, _pk("council"), post=AGENT_POST, data=lambda w: {"held_on": _today()}),
    Route("councils_admin:meeting_create", AGENT_GET, _pk("council"), post=AGENT_POST, data=_meeting_data),
    Route("councils_admin:decision_create", AGENT_GET, _pk("council"), post=AGENT_POST, data=_decision_data),
    Route("councils_admin:member_end", AGENT_GET, _pk("own"), post=AGENT_POST, data=lambda w: {"ended_on": _today()}),
    Route(
        "councils_admin:member_end",
        ELSEWHERE_GET,
        _pk("other_member"),
        post=ELSEWHERE_POST,
        data=lambda w: {"ended_on": _today()},
        case="elsewhere",
    ),
    Route(
        "councils_admin:member_resign",
        AGENT_GET,
        _pk("own"),
        post=AGENT_POST,
        data=lambda w: {"resigned_on": _today(), "replacement_name": "Odile Pichon"},
    ),
    Route("councils_admin:meeting_edit", AGENT_GET, _pk("meeting"), post=AGENT_POST, data=_meeting_data),
    Route(
        "councils_admin:meeting_edit",
        ELSEWHERE_GET,
        _pk("other_meeting"),
        post=ELSEWHERE_POST,
        data=_meeting_data,
        case="elsewhere",
    ),
    Route(
        "councils_admin:attendance",
        AGENT_GET,
        _pk("meeting"),
        post=AGENT_POST,
        data=lambda w: {f"presence-{_c(w).own.pk}": "present", f"presence-{_c(w).expired.pk}": "excused"},
    ),
    Route("councils_admin:decision_edit", AGENT_GET, _pk("decision"), post=AGENT_POST, data=_decision_data),
    Route(
        "councils_admin:decision_edit",
        ELSEWHERE_GET,
        _pk("other_decision"),
        post=ELSEWHERE_POST,
        data=_decision_data,
        case="elsewhere",
    ),
    Route(
        "councils_admin:decision_commit",
        AGENT_GET,
        _pk("decision"),
        post=AGENT_POST,
        data=lambda w: {"process": w.process.pk, "title": "Éclairer le cheminement"},
    ),
]


def fingerprint() -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType

    from apps.councils.models import Council, Decision, Membership, Renewal
    from apps.sittings.models import Attendance, Sitting

    meetings = Sitting.objects.filter(body_type=ContentType.objects.get_for_model(Council))
    attendances = Attendance.objects.filter(member_type=ContentType.objects.get_for_model(Membership))

    return {
        "councils": sorted(
            Council.objects.values_list("pk", "name", "slug", "is_published", "seats_drawn", "seats_local_actors")
        ),
        "memberships": sorted(Membership.objects.values_list("pk", "status", "ended_on", "public_name", "user_id")),
        "meetings": sorted(meetings.values_list("pk", "title", "is_published", "minutes")),
        "attendances": sorted(attendances.values_list("sitting_id", "member_id", "status")),
        "decisions": sorted(Decision.objects.values_list("pk", "title", "is_published", "commitment_id")),
        "renewals": Renewal.objects.count(),
    }
