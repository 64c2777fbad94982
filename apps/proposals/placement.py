"""Where a proposal is: the quartier follows from the point on the map, never from the form.

A resident who clicks on the map gets the quartier under the click; a crafted request that
sends a point in one quartier and another quartier's id gets the quartier of the point.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.core.maps import quartier_at
from apps.core.models import Process, Territory

OUTSIDE_MESSAGE = _(
    "Le point choisi sur la carte est en dehors du territoire de cette démarche : "
    "cliquez à l’intérieur des quartiers dessinés, ou effacez la position et indiquez seulement l’adresse."
)


def territories_under(territory_id: Any) -> QuerySet[Territory]:
    """A territory and its sub-territories (two levels), by kind and name."""
    return Territory.objects.filter(
        Q(pk=territory_id) | Q(parent_id=territory_id) | Q(parent__parent_id=territory_id)
    ).order_by("kind", "name")


def process_territories(process: Process) -> QuerySet[Territory]:
    """The process territory and its sub-territories: where its proposals can be placed."""
    return territories_under(process.territory_id)


def placed_territory(
    process: Process, *, territory: Territory | None, latitude: Decimal | None, longitude: Decimal | None
) -> Territory | None:
    """The territory of a proposal placed at (latitude, longitude): the most precise territory
    of the process containing it. Without a point, or when no territory of the process has an
    outline to test against, the chosen ``territory`` stands."""
    if latitude is None or longitude is None:
        return territory
    candidates = [candidate for candidate in process_territories(process) if candidate.boundary]
    if not candidates:
        return territory
    found = quartier_at(candidates, latitude=latitude, longitude=longitude)
    if found is None:
        raise ValidationError(str(OUTSIDE_MESSAGE), code="outside")
    if found.kind == Territory.Kind.CITY:
        # Inside the city but in no drawn quartier: a chosen quartier without an outline may be
        # right; one with an outline is not (the point is not in it).
        return territory if territory is not None and not territory.boundary else None
    return found
