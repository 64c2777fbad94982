"""The sortition module in the security fixture world and the permission matrix."""

from __future__ import annotations

import datetime
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.security.matrix_base import PUBLIC, Route, per

if TYPE_CHECKING:
    from tests.security.world import World

CATEGORIES = "category,feature,min,max\ngenre,femme,2,2\ngenre,homme,2,2\n"
PEOPLE = "pool_member_identifier,courriel,genre\n" + "".join(
    f"L{i},personne{i}@exemple.fr,{'femme' if i % 2 else 'homme'}\n" for i in range(10)
)


# Every draw of the world has this secret key, so that the pool files and pseudonyms (hence the
# distribution, computed once on the public pool file) are the same for every world.
SALT = "0123456789abcdef0123456789abcdef"


def _features(i: int) -> dict[str, str]:
    return {"genre": "femme" if i % 2 else "homme"}


@cache
def _pool_csv() -> str:
    from apps.sortition import bridge

    return bridge.public_pool_csv(["genre"], [(bridge.pseudonym_for(SALT, f"L{i}"), _features(i)) for i in range(10)])


@cache
def _distribution() -> dict[str, Any]:
    # Computed once per test run: the world is rebuilt for every test.
    from apps.sortition import bridge
    from apps.sortition.engine import leximin

    return bridge.distribution_to_json(leximin(bridge.public_pool(_pool_csv(), CATEGORIES), 4))


@cache
def _distribution_sha256() -> str:
    from apps.sortition import bridge
    from apps.sortition.engine.timeline import distribution_sha256

    return distribution_sha256(bridge.distribution_from_json(_distribution()))


def _draw(world: World, slug: str, **extra: Any) -> Any:
    from apps.sortition.models import Draw

    values: dict[str, Any] = {
        "title": slug.replace("-", " ").capitalize(),
        "slug": slug,
        "territory": world.quartier,
        "panel_size": 4,
        "list_source": Draw.ListSource.ELECTORAL_ROLL,
        "legal_basis": "Mission d'intérêt public.",
        "purge_on": timezone.localdate() + datetime.timedelta(days=200),
        "created_by": world.people["agent"],
        "pseudonym_salt": SALT,
    }
    values.update(extra)
    return Draw.objects.create(**values)


def _pool(draw: Any, statuses: dict[int, str] | None = None) -> list[Any]:
    from apps.sortition import bridge
    from apps.sortition.models import PoolMember

    draw.categories_csv = CATEGORIES
    draw.people_sha256 = bridge.sha256(PEOPLE.encode())
    draw.pool_csv = _pool_csv()
    draw.pool_sha256 = bridge.sha256(draw.pool_csv.encode())
    draw.categories_sha256 = bridge.sha256(CATEGORIES.encode())
    draw.save()
    return [
        PoolMember.objects.create(
            draw=draw,
            identifier=f"L{i}",
            pseudonym=bridge.pseudonym_for(draw.pseudonym_salt, f"L{i}"),
            features=_features(i),
            personal={"courriel": f"personne{i}@exemple.fr"},
            status=(statuses or {}).get(i, "pool"),
            probability=0.4,
        )
        for i in range(10)
    ]


def extend_world(world: World) -> None:
    """Add this module's objects to ``world.extra["sortition"]``."""
    from apps.core.models import Process
    from apps.sortition.models import Draw, DrawAttempt
    from tests.factories import ProcessFactory

    now = timezone.now()
    # Announced two days ago, with a public event whose result has been known since yesterday.
    timeline = {
        "seed_mode": Draw.SeedMode.PUBLIC_EVENT,
        "seed_source": "Loto",
        "seed_announced_at": now - datetime.timedelta(days=2),
        "seed_event_at": now - datetime.timedelta(days=1),
        "distribution_sha256": _distribution_sha256(),
    }
    published = _draw(
        world,
        "panel-publie",
        state=Draw.State.DRAWN,
        is_published=True,
        seed="1 2 3",
        seed_event_result="1 2 3",
        drawn_at=now,
        distribution=_distribution(),
        **timeline,
    )
    members = _pool(published, {1: "selected", 2: "selected", 3: "selected", 4: "selected"})
    published.report = {"seed": "1 2 3", "panel": [m.pseudonym for m in members[1:5]]}
    published.save()
    DrawAttempt.objects.create(draw=published, kind="final", seed="1 2 3", outcome={"panel": published.report["panel"]})

    draft = _draw(world, "panel-brouillon")
    loaded = _draw(world, "panel-liste", state=Draw.State.POOL_LOADED)
    _pool(loaded)
    ready = _draw(
        world,
        "panel-pret",
        state=Draw.State.COMPUTED,
        is_published=True,  # the announcement publishes the page
        distribution=_distribution(),
        **timeline,
    )
    _pool(ready)
    elsewhere = _draw(world, "panel-ailleurs", territory=world.other_quartier, state=Draw.State.POOL_LOADED)
    _pool(elsewhere)

    call_process: Process = ProcessFactory.create(
        territory=world.quartier, title="Atelier : appel", slug="atelier-appel"
    )
    call_process.phases.create(
        module="sortition",
        kind="volunteers",
        title="Appel à volontaires",
        starts_at=now - datetime.timedelta(days=5),
        ends_at=now + datetime.timedelta(days=20),
    )
    call = _draw(
        world,
        "panel-volontaires",
        list_source=Draw.ListSource.VOLUNTEERS,
        process=call_process,
        categories_csv=CATEGORIES,
    )
    world.extra["sortition"] = SimpleNamespace(
        published=published,
        member=members[1],
        draft=draft,
        loaded=loaded,
        ready=ready,
        elsewhere=elsewhere,
        call=call,
    )


def _s(world: World) -> Any:
    return world.extra["sortition"]


def _slug(attr: str) -> Any:
    return lambda w: {"slug": getattr(_s(w), attr).slug}


def _pk(attr: str) -> Any:
    return lambda w: {"pk": getattr(_s(w), attr).pk}


def _import_data(world: World) -> dict[str, Any]:
    return {
        "people": SimpleUploadedFile("liste.csv", PEOPLE.encode(), content_type="text/csv"),
        "categories": SimpleUploadedFile("quotas.csv", CATEGORIES.encode(), content_type="text/csv"),
    }


def _create_data(world: World) -> dict[str, Any]:
    return {
        "title": "Panel de test",
        "territory": world.quartier.pk,
        "panel_size": 4,
        "algorithm": "leximin",
        "list_source": "electoral_roll",
        "legal_basis": "Mission d'intérêt public.",
        "purge_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }


READERS = per("denied", anonymous="login", agent="ok", elu="ok")
RUNNER_GET = per("denied", anonymous="login", agent="ok")
RUNNER_POST = per("denied", anonymous="login", agent="redirect")
PREVIEW = per("denied", agent="ok", elu="ok")

ROUTES: list[Route] = [
    # ---- public ----------------------------------------------------------------------------
    Route("sortition:list", PUBLIC),
    Route("sortition:detail", PUBLIC, _slug("published")),
    Route("sortition:detail", PREVIEW, _slug("loaded"), case="unpublished"),
    Route("sortition:detail", per("denied", admin_elsewhere="ok"), _slug("elsewhere"), case="elsewhere"),
    Route("sortition:report", PUBLIC, _slug("published")),
    Route("sortition:report", per("denied"), _slug("ready"), case="not-drawn"),
    # The pseudonymised pool file and the lottery: public with the draw from the announcement on.
    Route("sortition:pool", PUBLIC, _slug("published")),
    Route("sortition:pool", PUBLIC, _slug("ready"), case="announced"),
    Route("sortition:pool", per("denied"), _slug("loaded"), case="no-seed-yet"),
    Route("sortition:distribution", PUBLIC, _slug("published")),
    Route("sortition:distribution", PUBLIC, _slug("ready"), case="announced"),
    Route("sortition:distribution", per("denied"), _slug("loaded"), case="not-announced"),
    Route("sortition:distribution", per("denied"), _slug("elsewhere"), case="elsewhere"),
    Route("sortition:categories", PUBLIC, _slug("published")),
    Route("sortition:categories", PREVIEW, _slug("loaded"), case="unpublished"),
    Route(
        "sortition:volunteer",
        per("ok", anonymous="login"),
        _slug("call"),
        post=per("redirect", anonymous="login"),
        data=lambda w: {"q0": "femme", "phone": "", "consent": "on"},
    ),
    Route(
        "sortition:volunteer",
        per("denied"),
        _slug("published"),
        post=per("denied"),
        data=lambda w: {"consent": "on"},
        case="not-a-call",
    ),
    # ---- back office -----------------------------------------------------------------------
    Route("sortition_admin:list", per("denied", anonymous="login", agent="ok", elu="ok", admin_elsewhere="ok")),
    Route(
        "sortition_admin:create",
        per("denied", anonymous="login", agent="ok", admin_elsewhere="ok"),
        post=per("denied", anonymous="login", agent="redirect", admin_elsewhere="allowed"),
        data=_create_data,
    ),
    Route("sortition_admin:draw", READERS, _pk("published")),
    Route("sortition_admin:draw", READERS, _pk("loaded"), case="loaded"),
    Route(
        "sortition_admin:draw",
        per("denied", anonymous="login", admin_elsewhere="ok"),
        _pk("elsewhere"),
        case="elsewhere",
    ),
    Route("sortition_admin:pool", RUNNER_GET, _pk("draft"), post=RUNNER_POST, data=_import_data),
    Route(
        "sortition_admin:pool",
        per("denied", anonymous="login", admin_elsewhere="ok"),
        _pk("elsewhere"),
        post=per("denied", anonymous="login", admin_elsewhere="redirect"),
        data=_import_data,
        case="elsewhere",
    ),
    Route("sortition_admin:pool_volunteers", None, _pk("call"), post=RUNNER_POST),
    Route("sortition_admin:compute", None, _pk("loaded"), post=RUNNER_POST),
    Route(
        "sortition_admin:compute",
        None,
        _pk("elsewhere"),
        post=per("denied", anonymous="login", admin_elsewhere="redirect"),
        case="elsewhere",
    ),
    Route(
        "sortition_admin:seed",
        None,
        _pk("loaded"),
        post=per("denied", anonymous="login", agent="allowed"),
        data=lambda w: {"seed_source": "Loto du 2 mai", "seed_event_at": "02/05/2099 21:00"},
    ),
    Route(
        "sortition_admin:final", RUNNER_GET, _pk("ready"), post=RUNNER_POST, data=lambda w: {"event_result": "4 5 6"}
    ),
    Route(
        "sortition_admin:member_status",
        None,
        lambda w: {"pk": _s(w).published.pk, "member_pk": _s(w).member.pk},
        post=RUNNER_POST,
        data=lambda w: {"status": "invited"},
    ),
    Route("sortition_admin:alternates", None, _pk("published"), post=RUNNER_POST),
    Route("sortition_admin:publish", None, _pk("loaded"), post=RUNNER_POST, data=lambda w: {"published": "1"}),
]


def fingerprint() -> dict[str, Any]:
    from apps.sortition.models import Draw, DrawAttempt, PoolMember, VolunteerApplication

    return {
        "draws": sorted(
            Draw.objects.values_list(
                "pk",
                "state",
                "is_published",
                "seed",
                "seed_announced_at",
                "seed_event_at",
                "seed_source",
                "people_sha256",
                "pool_sha256",
            )
        ),
        "members": sorted(PoolMember.objects.values_list("pk", "status", "probability", "replaces_id")),
        "attempts": DrawAttempt.objects.count(),
        "applications": VolunteerApplication.objects.count(),
    }
