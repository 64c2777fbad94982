"""One permission question per action of the sortition module. Views and templates ask here.

Draws belong to a territory: its agents (and administrators, through ``has_role``) run them,
its élus read the back office; nobody else sees an unpublished draw. Personal data of the pool
(names, contacts) is for the agents who invite people, never for élus or the public.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.core.models import Role
from apps.core.phases import can_view_process
from apps.core.roles import has_role
from apps.core.rules_kit import phase_allows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.sortition.models import Draw

    Person = User | AnonymousUser

RUNNERS = frozenset({Role.AGENT})
READERS = frozenset({Role.AGENT, Role.ELU})


def can_list_draws_admin(user: Person) -> bool:
    return has_role(user, READERS)


def can_create_draw(user: Person) -> bool:
    return has_role(user, RUNNERS)


def can_view_draw_admin(user: Person, draw: Draw) -> bool:
    return has_role(user, READERS, territory=draw.territory)


def can_run_draw(user: Person, draw: Draw) -> bool:
    """Import the pool, compute, announce the seed, draw, invite, draw alternates, publish."""
    return has_role(user, RUNNERS, territory=draw.territory)


def can_see_personal_data(user: Person, draw: Draw) -> bool:
    return can_run_draw(user, draw) and draw.purged_at is None


def can_view_draw(user: Person, draw: Draw) -> bool:
    """The public page: published draws, or a preview for the draw's staff."""
    return draw.is_published or can_view_draw_admin(user, draw)


def volunteering_open(draw: Draw) -> bool:
    """The call for volunteers runs: a published process whose sortition "volunteers" phase is on,
    quotas known (they give the questions) and the pool not built yet."""
    process = draw.process
    return (
        draw.list_source == "volunteers"
        and process is not None
        and process.is_published
        and bool(draw.categories_csv)
        and draw.state == "draft"
        and phase_allows(process, "sortition", "volunteer")
    )


def can_view_call(user: Person, draw: Draw) -> bool:
    return draw.process is not None and can_view_process(user, draw.process) and draw.list_source == "volunteers"


def can_volunteer(user: Person, draw: Draw) -> bool:
    return bool(user.is_authenticated) and user.is_active and volunteering_open(draw)
