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


def module_name(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1]


def extend_world(world: World, only: tuple[str, ...] | None = None) -> None:
    for module in MODULES:
        if only is None or module_name(module) in only:
            module.extend_world(world)


def modules_for_url_name(name: str) -> tuple[str, ...]:
    """The module parts a route needs: its own (``budgets_admin:vote`` → budgets), none for the
    foundation's routes. Building only those keeps each case of the matrix fast."""
    namespace = name.split(":", 1)[0].removesuffix("_admin")
    return tuple(module_name(module) for module in MODULES if module_name(module) == namespace)


def module_routes() -> list[Route]:
    return [route for module in MODULES for route in module.ROUTES]


def module_fingerprint() -> dict[str, Any]:
    return {f"{module.__name__}.{key}": value for module in MODULES for key, value in module.fingerprint().items()}
