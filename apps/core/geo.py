"""Plane geometry on GeoJSON boundaries, in pure Python (no GIS extension needed).

A city has a few dozen quartiers of a few hundred vertices each: ray casting over them is
microseconds, so PostGIS would only add an operational dependency. Coordinates follow
GeoJSON: ``[longitude, latitude]``. At a city's scale, treating degrees as a plane is exact
enough for "which quartier is this point in" (the error is far below a street's width).

A point *on* an edge or a vertex counts as inside: a resident clicking on the street that
separates two quartiers must get one of them, never "outside the territory". When two
territories share that edge, :func:`locate` answers with the first one in the order given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar

Ring = Sequence[Sequence[float]]

# Below this, a point is considered to lie on a segment (about 1 mm in degrees at 47° N).
_EPSILON = 1e-9


class GeometryError(ValueError):
    """The GeoJSON is not a (Multi)Polygon this module can read."""


def _on_segment(x: float, y: float, x1: float, y1: float, x2: float, y2: float) -> bool:
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    if abs(cross) > _EPSILON:
        return False
    return (
        min(x1, x2) - _EPSILON <= x <= max(x1, x2) + _EPSILON and min(y1, y2) - _EPSILON <= y <= max(y1, y2) + _EPSILON
    )


def ring_position(x: float, y: float, ring: Ring) -> int:
    """1 strictly inside the ring, 0 on its boundary, -1 outside (ray casting, even-odd)."""
    inside = False
    count = len(ring)
    if count < 3:
        return -1
    j = count - 1
    for i in range(count):
        xi, yi = float(ring[i][0]), float(ring[i][1])
        xj, yj = float(ring[j][0]), float(ring[j][1])
        if _on_segment(x, y, xi, yi, xj, yj):
            return 0
        # Half-open rule on y: a ray through a vertex is counted once, not twice.
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return 1 if inside else -1


def _polygon_contains(x: float, y: float, rings: Sequence[Ring]) -> bool:
    if not rings or ring_position(x, y, rings[0]) < 0:
        return False
    # A point strictly inside a hole is out; on the hole's edge it touches the polygon.
    return all(ring_position(x, y, hole) <= 0 for hole in rings[1:])


def polygons_of(geometry: Any) -> list[Sequence[Ring]]:
    """The polygons (outer ring then holes) of a GeoJSON Polygon, MultiPolygon or Feature."""
    if not isinstance(geometry, dict):
        raise GeometryError("not a GeoJSON object")
    if geometry.get("type") == "Feature":
        return polygons_of(geometry.get("geometry"))
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coordinates, list):
        raise GeometryError("no coordinates")
    polygons: list[Sequence[Ring]]
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        raise GeometryError(f"unsupported geometry type {kind!r}")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeometryError("empty polygon")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise GeometryError("a ring needs at least four positions")
            for position in ring:
                if (
                    not isinstance(position, list | tuple)
                    or len(position) < 2
                    or not all(isinstance(value, int | float) and not isinstance(value, bool) for value in position[:2])
                ):
                    raise GeometryError("a position is two numbers")
    return polygons


def contains(geometry: Any, *, latitude: float | Decimal, longitude: float | Decimal) -> bool:
    """Whether the point lies inside (or on the edge of) a GeoJSON (Multi)Polygon."""
    x, y = float(longitude), float(latitude)
    return any(_polygon_contains(x, y, polygon) for polygon in polygons_of(geometry))


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float


def bounding_box(geometries: Iterable[Any]) -> Box | None:
    """The box around every outer ring of ``geometries`` (None when there is none)."""
    xs: list[float] = []
    ys: list[float] = []
    for geometry in geometries:
        for polygon in polygons_of(geometry):
            xs.extend(float(p[0]) for p in polygon[0])
            ys.extend(float(p[1]) for p in polygon[0])
    if not xs:
        return None
    return Box(min(xs), min(ys), max(xs), max(ys))


class Bounded(Protocol):
    @property
    def boundary(self) -> Any: ...


B = TypeVar("B", bound=Bounded)


def locate(candidates: Iterable[B], *, latitude: float | Decimal, longitude: float | Decimal) -> B | None:
    """The first candidate whose boundary contains the point; candidates without a readable
    boundary are skipped (a territory drawn later must not break placing a proposal)."""
    for candidate in candidates:
        if not candidate.boundary:
            continue
        try:
            if contains(candidate.boundary, latitude=latitude, longitude=longitude):
                return candidate
        except GeometryError:
            continue
    return None
