"""The agenda module in the security fixture world and the permission matrix."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from tests.security.matrix_base import PUBLIC, SIGNED_IN, Route, per

if TYPE_CHECKING:
    from tests.security.world import World

READERS = per("denied", anonymous="login", agent="ok", elu="ok")
AGENT_GET = per("denied", anonymous="login", agent="ok")
AGENT_POST = per("denied", anonymous="login", agent="redirect")
ELSEWHERE_GET = per("denied", anonymous="login", admin_elsewhere="ok")
ELSEWHERE_POST = per("denied", anonymous="login", admin_elsewhere="redirect")
RESIDENT_POST = per("redirect", anonymous="login")
# Every signed-in person is a resident too (staff included); anonymous visitors sign in first.
CLOSED = per("denied", anonymous="login")
FEED_TOKEN = "jeton-secret-de-matrice-0123456789abcdefghijklmnop"


def extend_world(world: World) -> None:
    """Add this module's objects to ``world.extra["agenda"]``."""
    from django.contrib.contenttypes.models import ContentType

    from apps.agenda.models import AgendaItem, CalendarToken, Event, Outcome, Registration, token_digest
    from apps.discussion.models import Comment
    from apps.sittings.models import Sitting

    now = timezone.now()

    def event(territory: Any, title: str, days: int, **extra: Any) -> Event:
        values: dict[str, Any] = {
            "kind": Event.Kind.RENDEZ_VOUS,
            "territory": territory,
            "access_info": "Entrée de plain-pied.",
            "step_free": True,
            "is_published": True,
        }
        values.update(extra)
        created = Event.objects.create(**values)
        Sitting.objects.create(
            body=created,
            title=title,
            starts_at=now + datetime.timedelta(days=days),
            ends_at=now + datetime.timedelta(days=days, hours=2),
            place="Maison de quartier",
            is_published=values["is_published"],
        )
        return created

    upcoming = event(
        world.quartier,
        "Rendez-vous citoyen de Malakoff",
        10,
        registration_enabled=True,
        capacity=30,
        online_url="https://visio.example.org/rdv",
        process=world.process,
    )
    past = event(world.quartier, "Rendez-vous citoyen de septembre", -10)
    Sitting.objects.filter(agenda_event=past).update(minutes="La Ville étudie un plateau ralentisseur.")
    draft = event(world.quartier, "Balade en préparation", 20, kind=Event.Kind.WALK, is_published=False)
    other = event(world.other_quartier, "Rendez-vous citoyen de Bellevue", 12, registration_enabled=True)
    item = AgendaItem.objects.create(
        event=upcoming, author=world.people["other_resident"], title="Traversées près de l'école", sequence="debat"
    )
    registration = Registration.objects.create(
        event=upcoming, user=world.people["resident"], status=Registration.Status.CONFIRMED, queued_at=now
    )
    outcome = Outcome.objects.create(
        event=past, sequence="debat", title="Étude d'un plateau", link="commitment", commitment=world.commitment
    )
    event_type = ContentType.objects.get_for_model(Event)
    comment = Comment.objects.create(
        target_type=event_type, target_id=past.pk, author=world.people["other_resident"], body="Merci pour la réunion."
    )
    hidden = Comment.objects.create(
        target_type=event_type,
        target_id=past.pk,
        author=world.people["other_resident"],
        body="Propos hors charte",
        is_hidden=True,
        hidden_reason="Propos insultants",
        hidden_by=world.people["moderator"],
    )
    CalendarToken.objects.create(user=world.people["resident"], digest=token_digest(FEED_TOKEN))
    world.extra["agenda"] = SimpleNamespace(
        upcoming=upcoming,
        past=past,
        draft=draft,
        other=other,
        item=item,
        registration=registration,
        outcome=outcome,
        comment=comment,
        hidden=hidden,
        token=FEED_TOKEN,
    )


def _a(world: World) -> SimpleNamespace:
    value: SimpleNamespace = world.extra["agenda"]
    return value


def _pk(attr: str) -> Any:
    return lambda world: {"pk": getattr(_a(world), attr).pk}


def _event_data(territory: str) -> Any:
    return lambda world: {
        "kind": "rendez_vous",
        "title": "Rendez-vous citoyen d'hiver",
        "territory": getattr(world, territory).pk,
        "starts_at": (timezone.localtime() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT18:00"),
        "place": "Salle des fêtes",
        "registration_enabled": "on",
        "capacity": "40",
        "is_published": "on",
    }


ROUTES: list[Route] = [
    # ---- public pages --------------------------------------------------------------------------
    Route("agenda:list", PUBLIC),
    Route("agenda:list", PUBLIC, query="?passes=1", case="past"),
    Route("agenda:quartier", PUBLIC, lambda w: {"slug": w.quartier.slug}),
    Route("agenda:quartier_feed", PUBLIC, lambda w: {"slug": w.quartier.slug}),
    Route("agenda:process", PUBLIC, lambda w: {"slug": w.process.slug}),
    Route("agenda:process", per("denied"), lambda w: {"slug": w.draft_process.slug}, case="draft"),
    Route("agenda:detail", PUBLIC, _pk("upcoming")),
    Route("agenda:detail", PUBLIC, _pk("past"), case="past"),
    Route("agenda:detail", per("denied", agent="ok", elu="ok"), _pk("draft"), case="draft"),
    Route("agenda:register", None, _pk("upcoming"), post=RESIDENT_POST, data=lambda w: {"childcare": "on"}),
    Route("agenda:register", None, _pk("draft"), post=per("denied"), case="draft"),
    Route("agenda:register", None, _pk("past"), post=CLOSED, case="past"),
    Route("agenda:unregister", None, _pk("upcoming"), post=per("denied", anonymous="login", resident="redirect")),
    Route(
        "agenda:item_propose",
        None,
        _pk("upcoming"),
        post=RESIDENT_POST,
        data=lambda w: {"sequence": "debat", "title": "Un marché le dimanche"},
    ),
    Route(
        "agenda:item_propose",
        None,
        _pk("past"),
        post=CLOSED,
        data=lambda w: {"sequence": "debat", "title": "Trop tard"},
        case="past",
    ),
    Route("agenda:item_support", None, _pk("item"), post=RESIDENT_POST),
    Route("agenda:comment", None, _pk("past"), post=RESIDENT_POST, data=lambda w: {"body": "Et la suite ?"}),
    Route("agenda:comment", None, _pk("upcoming"), post=CLOSED, data=lambda w: {"body": "Trop tôt"}, case="before"),
    Route(
        "agenda:comment_report",
        per("ok", anonymous="login", other_resident="denied"),
        _pk("comment"),
        post=per("redirect", anonymous="login", other_resident="denied"),
        data=lambda w: {"reason": "Hors sujet"},
    ),
    Route(
        "agenda:comment_hide",
        per("denied", anonymous="login", moderator="ok"),
        _pk("comment"),
        post=per("denied", anonymous="login", moderator="redirect"),
        data=lambda w: {"reason": "Propos hors charte"},
    ),
    Route("agenda:comment_unhide", None, _pk("hidden"), post=per("denied", anonymous="login", moderator="redirect")),
    Route("agenda:mine", SIGNED_IN),
    Route("agenda:feed_renew", None, post=RESIDENT_POST),
    Route("agenda:feed_revoke", None, post=RESIDENT_POST),
    Route("agenda:personal_feed", PUBLIC, lambda w: {"token": _a(w).token}),
    Route("agenda:personal_feed", per("gone"), lambda w: {"token": "jeton-inconnu"}, case="unknown"),
    # ---- back office ---------------------------------------------------------------------------
    Route("agenda_admin:list", per("denied", anonymous="login", agent="ok", elu="ok", admin_elsewhere="ok")),
    Route(
        "agenda_admin:create",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="redirect", admin_elsewhere="invalid"),
        data=_event_data("quartier"),
    ),
    Route("agenda_admin:detail", READERS, _pk("upcoming")),
    Route("agenda_admin:detail", READERS, _pk("draft"), case="draft"),
    Route("agenda_admin:detail", ELSEWHERE_GET, _pk("other"), case="elsewhere"),
    Route("agenda_admin:edit", AGENT_GET, _pk("upcoming"), post=AGENT_POST, data=_event_data("quartier")),
    Route(
        "agenda_admin:edit",
        ELSEWHERE_GET,
        _pk("other"),
        post=ELSEWHERE_POST,
        data=_event_data("other_quartier"),
        case="elsewhere",
    ),
    Route(
        "agenda_admin:cancel",
        AGENT_GET,
        _pk("upcoming"),
        post=AGENT_POST,
        data=lambda w: {"cancel_reason": "Salle indisponible (dégât des eaux)."},
    ),
    Route(
        "agenda_admin:minutes",
        AGENT_GET,
        _pk("past"),
        post=AGENT_POST,
        data=lambda w: {"minutes": "Compte rendu complet."},
    ),
    Route(
        "agenda_admin:outcome_create",
        AGENT_GET,
        _pk("past"),
        post=AGENT_POST,
        data=lambda w: {
            "sequence": "debat",
            "title": "Plateau ralentisseur",
            "link": "commitment",
            "commitment": w.commitment.pk,
        },
    ),
    Route(
        "agenda_admin:signin",
        AGENT_GET,
        _pk("past"),
        post=AGENT_POST,
        data=lambda w: {f"n-{w.quartier.pk}-30-59-1": "12", f"n-{w.other_quartier.pk}-60+-0": "3"},
    ),
    Route(
        "agenda_admin:signin",
        ELSEWHERE_GET,
        _pk("other"),
        post=ELSEWHERE_POST,
        data=lambda w: {f"n-{w.other_quartier.pk}-18-29-1": "4"},
        case="elsewhere",
    ),
]


def fingerprint() -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType

    from apps.agenda.models import AgendaItem, CalendarToken, Event, ItemSupport, Outcome, Registration, SignInCount
    from apps.sittings.models import Sitting

    sittings = Sitting.objects.filter(body_type=ContentType.objects.get_for_model(Event))
    return {
        "events": sorted(Event.objects.values_list("pk", "state", "is_published", "capacity", "territory_id")),
        "sittings": sorted(sittings.values_list("pk", "title", "minutes", "is_published")),
        "registrations": sorted(Registration.objects.values_list("event_id", "user_id", "status", "childcare")),
        "items": sorted(AgendaItem.objects.values_list("pk", "title", "support_count")),
        "supports": ItemSupport.objects.count(),
        "outcomes": sorted(Outcome.objects.values_list("pk", "title")),
        "signin": sorted(
            SignInCount.objects.values_list("event_id", "territory_id", "age_band", "first_time", "count")
        ),
        "tokens": sorted(CalendarToken.objects.values_list("user_id", "digest")),
    }
