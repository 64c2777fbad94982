"""Per-module parts of the security fixture world and of the permission matrix.

Each part is a Python module defining ``extend_world(world)`` (adds its objects to
``world.extra``), ``ROUTES`` (its rows of the matrix) and ``fingerprint()`` (its data a GET must
not change). Keeping them apart lets each module own its rows without editing the shared table.

Parts are found by convention from the registered manifests (:mod:`tests.discovery`): for a
manifest named ``X``, ``tests.security.modules.X`` if it exists, otherwise
``<X's app package>.security_matrix``. A manifest without a part adds no rows, and
``test_every_url_is_in_the_matrix`` still fails for any URL of it left out.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from tests.discovery import discover_parts

if TYPE_CHECKING:
    from tests.security.matrix_base import Route
    from tests.security.world import World

PART_ATTRIBUTES = ("extend_world", "ROUTES", "fingerprint")


@cache
def parts() -> dict[str, ModuleType]:
    """The parts of the matrix by manifest name, one per registered manifest that has one."""
    found = discover_parts(__name__, "security_matrix")
    for name, module in found.items():
        missing = [attribute for attribute in PART_ATTRIBUTES if not hasattr(module, attribute)]
        if missing:
            raise AttributeError(f"the security matrix part of {name!r} ({module.__name__}) lacks {missing}")
    return found


def extend_world(world: World, only: tuple[str, ...] | None = None) -> None:
    for name, module in parts().items():
        if only is None or name in only:
            module.extend_world(world)


def modules_for_url_name(name: str) -> tuple[str, ...]:
    """The module part a route belongs to: its own (``budgets_admin:vote`` → budgets), none for the
    foundation's routes."""
    namespace = name.split(":", 1)[0].removesuffix("_admin")
    return (namespace,) if namespace in parts() else ()


def module_routes() -> list[Route]:
    return [route for module in parts().values() for route in module.ROUTES]


def module_fingerprint() -> dict[str, Any]:
    return {
        f"{module.__name__}.{key}": value for module in parts().values() for key, value in module.fingerprint().items()
    }
