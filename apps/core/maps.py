"""What every map of Archipel is given: tiles, centre, address search, quartier outlines.

Views pass :func:`map_config` to ``json_script`` and ``static/js/maps.js`` reads it; the page
always carries a text alternative (list, address), the map is an enhancement.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import geo
from apps.core.models import Territory

# Six decimals is 11 cm: more than a click can mean. Public markers are rounded to four
# (about 10 m), enough to find the place and not enough to point at a front door.
PUBLIC_DECIMALS = 4


def public_coordinate(value: Decimal | float) -> float:
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-PUBLIC_DECIMALS), rounding=ROUND_HALF_UP))


def address_search_url() -> str:
    """The national address service when the city configured it, else our local gazetteer."""
    return str(getattr(settings, "ADDRESS_SEARCH_URL", "") or reverse("pages:address_suggestions"))


def map_config(*, territories: Iterable[Territory] = ()) -> dict[str, Any]:
    """Settings of a map; ``territories`` with a boundary are drawn (and used by the picker to
    name the quartier under a click, the server deciding again on submit)."""
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "center": list(settings.MAP_CENTER),
        # Leaflet's zoom buttons say "Zoom in" / "Zoom out" unless told otherwise.
        "zoomInTitle": _("Zoomer"),
        "zoomOutTitle": _("Dézoomer"),
        "addressSearchUrl": address_search_url(),
        "boundaries": boundaries_geojson(territories),
    }


_PRECISION: dict[str, int] = {Territory.Kind.MICRO: 0, Territory.Kind.QUARTIER: 1, Territory.Kind.CITY: 2}


def _most_precise_first(territories: Iterable[Territory]) -> list[Territory]:
    return sorted(territories, key=lambda territory: (_PRECISION.get(territory.kind, 3), territory.name))


def boundaries_geojson(territories: Iterable[Territory]) -> dict[str, Any]:
    """The outlines of the quartiers and micro-quartiers, the most precise first (the picker
    names the first one containing the click). The city's own outline is not drawn."""
    features = []
    for territory in _most_precise_first(territories):
        if territory.kind == Territory.Kind.CITY:
            continue
        if not territory.boundary:
            continue
        try:
            geo.polygons_of(territory.boundary)
        except geo.GeometryError:
            continue  # a broken outline is not drawn; the list still names the quartier
        geometry = territory.boundary.get("geometry", territory.boundary)
        features.append(
            {
                "type": "Feature",
                "properties": {"id": territory.pk, "name": territory.name, "url": territory.get_absolute_url()},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def quartier_at(candidates: Iterable[Territory], *, latitude: Decimal, longitude: Decimal) -> Territory | None:
    """The most precise of ``candidates`` containing the point: a micro-quartier before its
    quartier, a quartier before the city."""
    return geo.locate(_most_precise_first(candidates), latitude=latitude, longitude=longitude)


def place(latitude: Decimal | None, longitude: Decimal | None) -> dict[str, Any] | None:
    """What ``components/place_map.html`` needs for an item placed at (latitude, longitude):
    the rounded public point and a map configuration without outlines (None: not placed)."""
    if latitude is None or longitude is None:
        return None
    return {
        "lat": f"{public_coordinate(latitude):.{PUBLIC_DECIMALS}f}",
        "lon": f"{public_coordinate(longitude):.{PUBLIC_DECIMALS}f}",
        "config": map_config(),
    }
