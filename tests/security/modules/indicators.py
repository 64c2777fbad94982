"""The indicators module in the security fixture world and the permission matrix.

The world gets reference populations for its two quartiers, participation events on its
published process (enough people for some cells, too few for others) and a city-wide
administrator (``city_admin``, the only persona who manages reference populations and
thresholds; added to ``world.people`` for the axe screens)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from apps.core.models import Channel, ParticipationEvent, Role
from apps.indicators.models import CatalogueIndicator, Measure, ReferencePopulation, Structure, Thresholds
from tests.factories import RoleFactory, UserFactory
from tests.security.matrix_base import (
    ELSEWHERE,
    PUBLIC,
    STAFF_OF_QUARTIER_BO,
    Route,
    per,
)

if TYPE_CHECKING:
    from tests.security.world import World

READERS = per("denied", anonymous="login", agent="ok", elu="ok", admin_elsewhere="ok")
CITY_ADMIN_ONLY = per("denied", anonymous="login")
AGES = (("18-29", 4), ("30-44", 14), ("45-59", 16), ("60-74", 20), ("75+", 6))


def reference_rows(territory: Any, year: int, population: int) -> list[ReferencePopulation]:
    shares = {"u18": 0.18, "18-29": 0.28, "30-44": 0.19, "45-59": 0.16, "60-74": 0.12, "75+": 0.07}
    rows = [ReferencePopulation(territory=territory, year=year, dimension="total", value="", count=population)]
    rows += [
        ReferencePopulation(territory=territory, year=year, dimension="age", value=key, count=round(population * share))
        for key, share in shares.items()
    ]
    rows += [
        ReferencePopulation(territory=territory, year=year, dimension="gender", value="f", count=population // 2),
        ReferencePopulation(territory=territory, year=year, dimension="gender", value="m", count=population // 2),
        ReferencePopulation(
            territory=territory,
            year=year,
            dimension="qpv",
            value="",
            count=population if territory.is_priority_area else 0,
        ),
    ]
    return rows


def extend_world(world: World) -> None:
    today = timezone.localdate()
    ReferencePopulation.objects.bulk_create(
        reference_rows(world.quartier, today.year - 1, 12000)
        + reference_rows(world.other_quartier, today.year - 1, 8000)
    )
    events = [
        ParticipationEvent(
            module="proposals",
            kind="proposal",
            day=today - datetime.timedelta(days=index % 5),
            process=world.process,
            territory=world.quartier,
            priority_area=world.quartier.is_priority_area,
            age_band=age,
            gender="f" if index % 2 else "m",
            channel=Channel.PAPER if index % 4 == 0 else Channel.ONLINE,
        )
        for age, count in AGES
        for index in range(count)
    ]
    ParticipationEvent.objects.bulk_create(events)
    city_admin = UserFactory.create(email="admin-ville@example.org", display_name="Admin Ville")
    RoleFactory.create(user=city_admin, role=Role.ADMIN, territory=None)
    world.people["city_admin"] = city_admin
    # The catalogue, the agent's own structure and another agent's (item 5: each structure's
    # agents choose its set; nobody else).
    age = CatalogueIndicator.objects.create(measure=Measure.AGE, title="Âge des participants")
    CatalogueIndicator.objects.create(measure=Measure.CHANNELS, title="Participation par canal")
    own = Structure.objects.create(name="Centre social du quartier", kind="social_centre", territory=world.quartier)
    own.agents.add(world.people["agent"])
    own.indicators.add(age)
    other = Structure.objects.create(name="Service des sports", kind="service")
    other.agents.add(UserFactory.create(email="agent-sports@example.org"))
    world.extra["structures"] = SimpleNamespace(own=own, other=other, age=age)
    world.extra["indicators"] = SimpleNamespace(events=len(events))


def _csv() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("insee.csv", b"IRIS;P21_POP\n1;2\n", content_type="text/csv")}


STRUCTURE_AGENT = per("denied", anonymous="login", agent="ok")


def _structure(which: str) -> Any:
    return lambda w: {"pk": getattr(w.extra["structures"], which).pk}


def _choice(w: Any) -> dict[str, Any]:
    return {"indicators": [str(item.pk) for item in CatalogueIndicator.objects.all()]}


ROUTES: list[Route] = [
    Route("indicators:index", PUBLIC),
    Route("indicators:index", PUBLIC, query="?annee=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%95&quartier=x", case="bad query"),
    Route("indicators:process", PUBLIC, lambda w: {"pk": w.process.pk}),
    Route("indicators:process", per("gone"), lambda w: {"pk": w.draft_process.pk}, case="draft"),
    Route("indicators_admin:index", READERS),
    Route("indicators_admin:process", STAFF_OF_QUARTIER_BO, lambda w: {"pk": w.process.pk}),
    Route("indicators_admin:process", ELSEWHERE, lambda w: {"pk": w.other_process.pk}, case="elsewhere"),
    Route("indicators_admin:reference", CITY_ADMIN_ONLY, post=CITY_ADMIN_ONLY, data=lambda w: _csv()),
    Route(
        "indicators_admin:thresholds",
        CITY_ADMIN_ONLY,
        post=CITY_ADMIN_ONLY,
        data=lambda w: {"min_ratio": "0.5", "min_participants": "20"},
    ),
    Route("indicators_admin:structures", READERS),
    Route(
        "indicators_admin:structure",
        STRUCTURE_AGENT,
        _structure("own"),
        post=per("denied", anonymous="login", agent="done"),
        data=_choice,
    ),
    Route(
        "indicators_admin:structure",
        per("denied", anonymous="login"),
        _structure("other"),
        post=per("denied", anonymous="login"),
        data=_choice,
        case="another structure",
    ),
    Route(
        "indicators_admin:catalogue",
        CITY_ADMIN_ONLY,
        post=CITY_ADMIN_ONLY,
        data=lambda w: {"measure": "gender", "title": "Genre", "definition": "", "order": "3"},
    ),
]


def fingerprint() -> dict[str, Any]:
    return {
        "reference": sorted(
            ReferencePopulation.objects.values_list("territory_id", "year", "dimension", "value", "count")
        ),
        "thresholds": sorted(Thresholds.objects.values_list("min_ratio", "min_participants")),
        "catalogue": sorted(CatalogueIndicator.objects.values_list("measure", "title", "definition", "order")),
        "structure_choices": sorted(
            Structure.indicators.through.objects.values_list("structure_id", "catalogueindicator_id")
        ),
    }


# The yearly « cahier de la participation » per quartier (web and PDF): public, protected figures.
def _cahier(world: World) -> dict[str, Any]:
    return {"pk": world.quartier.pk, "year": timezone.localdate().year}


ROUTES += [
    Route("indicators:cahiers", PUBLIC),
    Route("indicators:cahier", PUBLIC, _cahier),
    Route("indicators:cahier_pdf", PUBLIC, _cahier),
]
