"""Who may verify whom, and who may import the census list. One question per action; the
views and the services ask, they never decide.

Decision: an agent at a counter acts within their own scope. An agent (or administrator) of a
quartier verifies the people who live there by their account, or who have not said where they
live, and can only place them in a quartier of that scope; a person attached to another
quartier is verified there or by the city's agents. Nobody verifies their own account. The
census list is the city's: only agents with the whole city in their scope import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from apps.core.models import Role, Territory
from apps.core.roles import has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    Person = User | AnonymousUser

AGENTS = frozenset({Role.AGENT})  # has_role adds the administrators of the same scope


def can_verify_residents(user: Person) -> bool:
    """The counter pages: any agent or administrator, who then acts within their scope."""
    return has_role(user, AGENTS)


def verifiable_quartiers(user: Person) -> QuerySet[Territory]:
    quartiers = list(Territory.objects.filter(kind=Territory.Kind.QUARTIER).select_related("parent"))
    allowed = [q.pk for q in quartiers if has_role(user, AGENTS, territory=q)]
    return Territory.objects.filter(pk__in=allowed).order_by("name")


def can_verify_person(user: Person, person: User) -> bool:
    if not can_verify_residents(user) or not person.is_active or person.is_deleted:
        return False
    if person.pk == getattr(user, "pk", None):
        return False
    if person.home_territory_id is None:
        return True
    return has_role(user, AGENTS, territory=person.home_territory)


def census_cities(user: Person) -> QuerySet[Territory]:
    """The cities (tree roots) whose whole territory is in ``user``'s agent scope."""
    roots = Territory.objects.filter(parent__isnull=True)
    return roots.filter(pk__in=[city.pk for city in roots if has_role(user, AGENTS, territory=city)])


def can_import_census(user: Person) -> bool:
    return census_cities(user).exists()
