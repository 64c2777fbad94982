"""Where an initiative shows on the public map. Ideas are filed in plain words (« le square
Vertais »), not with a point: one is placed at the street or place it names when the city's
gazetteer knows it, otherwise at the centre of its quartier; never more precisely than the
public rounding of :mod:`apps.core.maps`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from apps.core import gazetteer, geo, maps
from apps.core.models import Territory
from apps.initiatives.models import Initiative

MAP_LIMIT = 500


def quartier_centre(territory: Territory) -> tuple[Decimal, Decimal] | None:
    """The centre of the quartier's outline box (None when it has no readable outline)."""
    if not territory.boundary:
        return None
    try:
        box = geo.bounding_box([territory.boundary.get("geometry", territory.boundary)])
    except geo.GeometryError:
        return None
    if box is None:
        return None
    return Decimal(str((box.south + box.north) / 2)), Decimal(str((box.west + box.east) / 2))


def point_of(
    initiative: Initiative, centres: dict[int, tuple[Decimal, Decimal] | None]
) -> tuple[Decimal, Decimal] | None:
    street = gazetteer.find(initiative.place)
    if street is not None:
        return street.latitude, street.longitude
    if initiative.territory_id not in centres:
        centres[initiative.territory_id] = quartier_centre(initiative.territory)
    return centres[initiative.territory_id]


def markers(initiatives: Iterable[Initiative]) -> list[dict[str, Any]]:
    """What ``static/js/maps.js`` draws: one marker per placed initiative (the list beside the
    map names them all, placed or not)."""
    centres: dict[int, tuple[Decimal, Decimal] | None] = {}
    found = []
    for initiative in initiatives:
        point = point_of(initiative, centres)
        if point is None:
            continue
        found.append(
            {
                "title": initiative.title,
                "url": initiative.get_absolute_url(),
                "lat": maps.public_coordinate(point[0]),
                "lon": maps.public_coordinate(point[1]),
            }
        )
    return found
