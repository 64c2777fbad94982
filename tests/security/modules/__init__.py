"""Per-module parts of the security fixture world and of the permission matrix.

Each module file defines ``extend_world(world)`` (adds its objects to ``world.extra``),
``ROUTES`` (its rows of the matrix) and ``fingerprint()`` (its data a GET must not change).
Keeping them apart lets each module own its rows without editing the shared table.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from tests.security.modules import budgets, councils, sortition, workshops

if TYPE_CHECKING:
    from tests.security.matrix_base import Route
    from tests.security.world import World

MODULES: tuple[ModuleType, ...] = (budgets, sortition, workshops, councils)


def extend_world(world: World) -> None:
    for module in MODULES:
        module.extend_world(world)


def module_routes() -> list[Route]:
    return [route for module in MODULES for route in module.ROUTES]


def module_fingerprint() -> dict[str, Any]:
    return {f"{module.__name__}.{key}": value for module in MODULES for key, value in module.fingerprint().items()}
