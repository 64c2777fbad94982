"""Building blocks of the permission matrix (personas, expectation shapes, ``Route``), shared by
:mod:`tests.security.url_matrix` and the per-module tables in :mod:`tests.security.modules`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.security.world import World

PERSONAS = ("anonymous", "resident", "other_resident", "agent", "elu", "moderator", "admin_elsewhere")
STAFF = ("agent", "elu", "moderator")

Expect = Mapping[str, str]
Kwargs = Callable[[World], dict[str, Any]]
Data = Callable[[World], dict[str, Any]]


def per(default: str, **overrides: str) -> dict[str, str]:
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas {sorted(unknown)}")
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


# Frequent shapes.
PUBLIC = per("ok")
SIGNED_IN = per("ok", anonymous="login")
# A draft (unpublished) object: only the staff of its quartier see it.
STAFF_OF_QUARTIER = per("denied", agent="ok", elu="ok", moderator="ok")
# Guest pages (sign-in, sign-up): a signed-in person may be sent on to their space.
GUEST = per("done", anonymous="ok")
# Back office pages of the quartier: residents and the administrator of another quartier are out.
BACKOFFICE_ALL_STAFF = per("denied", anonymous="login", agent="ok", elu="ok", moderator="ok")
# Dashboard: any staff member sees their own scope (the administrator elsewhere sees theirs).
BACKOFFICE_HOME = per("denied", anonymous="login", agent="ok", elu="ok", moderator="ok", admin_elsewhere="ok")
INSTRUCTION = per("denied", anonymous="login", agent="ok", elu="ok")
AGENT_ONLY = per("denied", anonymous="login", agent="ok")
MODERATION = per("denied", anonymous="login", moderator="ok")
# Back office pages of a process in another quartier: only the administrator of that quartier.
ELSEWHERE = per("denied", anonymous="login", admin_elsewhere="ok")
STAFF_OF_QUARTIER_BO = per("denied", anonymous="login", agent="ok", elu="ok")
# Answer templates are shared by the whole city: any agent or administrator maintains them.
TEMPLATES = per("denied", anonymous="login", agent="ok", admin_elsewhere="ok")


def _none(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    name: str
    get: Expect | None
    kwargs: Kwargs = _none
    post: Expect | None = None
    data: Data = _none
    query: str = ""
    case: str = ""
    # Extra assertion after a successful POST (proves the action really happened).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.name}[{self.case}]" if self.case else self.name


def slug(attr: str) -> Kwargs:
    return lambda world: {"slug": getattr(world, attr).slug}


def process_slug(attr: str) -> Kwargs:
    return lambda world: {"process_slug": getattr(world, attr).slug}


def pk(attr: str) -> Kwargs:
    return lambda world: {"pk": getattr(world, attr).pk}
