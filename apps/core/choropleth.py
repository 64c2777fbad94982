"""Choropleth maps drawn on the server as SVG from the territories' GeoJSON boundaries.

A figure colours each quartier by a value (turnout, for instance) in five classes of one hue,
darker meaning more; a quartier without a value is grey. The SVG is an image with a title and
a description; the figures themselves are always in the data table the page shows next to it
(``components/choropleth.html`` says so), so nothing is known only by its colour.

Projection: longitude scaled by the cosine of the mean latitude (equirectangular). At a city's
scale this is the shape a resident knows from any web map.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from apps.core import geo

WIDTH = 600
PADDING = 8
# Light to dark (ColorBrewer "Blues", colour-blind safe); the darkest two take white labels.
PALETTE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#f0f0f0"


@dataclass(frozen=True)
class Region:
    name: str
    boundary: Any
    value: float | None


@dataclass(frozen=True)
class Shape:
    name: str
    path: str
    fill: str
    label: str  # "Nantes Nord : 12,5 %" (the SVG title of the shape)


@dataclass(frozen=True)
class LegendItem:
    fill: str
    label: str


@dataclass(frozen=True)
class Choropleth:
    title: str
    description: str
    width: int
    height: int
    shapes: list[Shape]
    legend: list[LegendItem]


def _classes(values: Sequence[float]) -> list[tuple[float, float]]:
    """Up to five equal intervals between the smallest and the largest value."""
    low, high = min(values), max(values)
    if math.isclose(low, high):
        return [(low, high)]
    step = (high - low) / len(PALETTE)
    return [(low + i * step, low + (i + 1) * step) for i in range(len(PALETTE))]


def _class_of(value: float, classes: list[tuple[float, float]]) -> int:
    for index, (_low, high) in enumerate(classes):
        if value <= high + 1e-12:
            return index
    return len(classes) - 1


def build(
    regions: Sequence[Region],
    *,
    title: str,
    description: str,
    formatter: Callable[[float], str],
) -> Choropleth | None:
    """The choropleth of ``regions`` with a readable boundary (None when fewer than two: a map
    of one coloured shape says nothing a sentence would not)."""
    drawable: list[tuple[Region, list[Any]]] = []
    for region in regions:
        try:
            polygons = geo.polygons_of(region.boundary) if region.boundary else []
        except geo.GeometryError:
            continue
        if polygons:
            drawable.append((region, polygons))
    if len(drawable) < 2:
        return None
    box = geo.bounding_box(region.boundary for region, _polygons in drawable)
    assert box is not None
    scale_x = math.cos(math.radians((box.south + box.north) / 2))
    span_x = max((box.east - box.west) * scale_x, 1e-9)
    span_y = max(box.north - box.south, 1e-9)
    factor = (WIDTH - 2 * PADDING) / span_x
    height = round(span_y * factor + 2 * PADDING)

    def point(position: Sequence[float]) -> str:
        x = PADDING + (float(position[0]) - box.west) * scale_x * factor
        y = PADDING + (box.north - float(position[1])) * factor  # north up
        return f"{x:.1f},{y:.1f}"

    values = [region.value for region, _polygons in drawable if region.value is not None]
    classes = _classes(values) if values else []
    shapes = []
    for region, polygons in drawable:
        path = " ".join(
            "M" + " L".join(point(position) for position in ring[:-1]) + " Z"
            for polygon in polygons
            for ring in polygon
        )
        if region.value is None:
            fill, shown = NO_DATA, _("pas de donnée")
        else:
            fill = PALETTE[_class_of(region.value, classes) + (len(PALETTE) - len(classes))]
            shown = formatter(region.value)
        shapes.append(Shape(region.name, path, fill, f"{region.name} : {shown}"))
    legend = [
        LegendItem(PALETTE[index + len(PALETTE) - len(classes)], f"{formatter(low)} – {formatter(high)}")
        for index, (low, high) in enumerate(classes)
    ]
    if any(region.value is None for region, _polygons in drawable):
        legend.append(LegendItem(NO_DATA, _("pas de donnée")))
    return Choropleth(title, description, WIDTH, height, shapes, legend)
