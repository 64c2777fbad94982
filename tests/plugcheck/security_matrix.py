"""The test module's part of the security fixture world and of the permission matrix
(``extend_world``, ``ROUTES``, ``fingerprint``): the matrix finds it next to the module's code
(``<app package>.security_matrix``) through the registered manifest."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from tests.factories import ProcessFactory
from tests.plugcheck.models import Pledge
from tests.security.matrix_base import BACKOFFICE_HOME, PUBLIC, SIGNED_IN, STAFF_OF_QUARTIER_BO, Route
from tests.security.world import World


def extend_world(world: World) -> None:
    """A published process of the quartier hosting the module, with a resident's pledge."""
    now = timezone.now()
    process = ProcessFactory.create(
        territory=world.quartier, title="Promesses du quartier", slug="promesses-du-quartier"
    )
    process.phases.create(
        module="plugcheck",
        kind="pledging",
        title="Promesses",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=10),
    )
    pledge = Pledge.objects.create(process=process, author=world.people["resident"], text="Je viendrai.")
    world.extra["plugcheck"] = SimpleNamespace(process=process, pledge=pledge)


ROUTES: list[Route] = [
    Route("plugcheck:index", PUBLIC),
    Route("plugcheck:mine", SIGNED_IN),
    Route("plugcheck_admin:index", BACKOFFICE_HOME),
    Route("plugcheck_admin:process", STAFF_OF_QUARTIER_BO, lambda w: {"pk": w.extra["plugcheck"].process.pk}),
]


def fingerprint() -> dict[str, Any]:
    return {"pledges": sorted(Pledge.objects.values_list("pk", "process_id", "author_id", "text"))}
