"""The councils module in the security fixture world and the permission matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.security.matrix_base import Route
    from tests.security.world import World


def extend_world(world: World) -> None:
    """Add this module's objects to ``world.extra["councils"]``."""


ROUTES: list[Route] = []


def fingerprint() -> dict[str, Any]:
    return {}
