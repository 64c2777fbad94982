"""The test module in the security fixture world and the permission matrix, in the shape of
``tests/security/modules/<module>.py`` (``extend_world``, ``ROUTES``, ``fingerprint``), so that
the matrix picks it up once it discovers the modules' parts instead of listing them."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from tests.plugcheck.models import Pledge
from tests.security.matrix_base import BACKOFFICE_HOME, PUBLIC, SIGNED_IN, STAFF_OF_QUARTIER_BO, Route
from tests.security.world import World


def extend_world(world: World) -> None:
    """Add a pledge on the world's open process, which then hosts the module too."""
    now = timezone.now()
    world.process.phases.create(
        module="plugcheck",
        kind="pledging",
        title="Promesses",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=10),
    )
    pledge = Pledge.objects.create(process=world.process, author=world.people["resident"], text="Je viendrai.")
    world.extra["plugcheck"] = SimpleNamespace(process=world.process, pledge=pledge)


ROUTES: list[Route] = [
    Route("plugcheck:index", PUBLIC),
    Route("plugcheck:mine", SIGNED_IN),
    Route("plugcheck_admin:index", BACKOFFICE_HOME),
    Route("plugcheck_admin:process", STAFF_OF_QUARTIER_BO, lambda w: {"pk": w.extra["plugcheck"].process.pk}),
]


def fingerprint() -> dict[str, Any]:
    return {"pledges": sorted(Pledge.objects.values_list("pk", "process_id", "author_id", "text"))}
