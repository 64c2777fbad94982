"""Point in polygon, gazetteer and demo outlines: pure functions, no database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from apps.core import gazetteer, geo
from apps.core.management.commands import _demo_data as demo_data
from apps.core.management.commands._demo_geodata import demo_boundaries

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}
# A square with a square hole in its middle (a park the quartier goes around).
DONUT = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}
# Two islands (Île de Nantes and a sandbank): one territory, two pieces.
ISLANDS = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]],
        [[[5, 5], [7, 5], [7, 7], [5, 7], [5, 5]]],
    ],
}
# Concave: a "U" whose notch is outside.
U_SHAPE = {
    "type": "Polygon",
    "coordinates": [[[0, 0], [6, 0], [6, 6], [4, 6], [4, 2], [2, 2], [2, 6], [0, 6], [0, 0]]],
}


def inside(geometry: Any, x: float, y: float) -> bool:
    return geo.contains(geometry, latitude=y, longitude=x)


def test_square_inside_and_outside() -> None:
    assert inside(SQUARE, 5, 5)
    assert not inside(SQUARE, 11, 5)
    assert not inside(SQUARE, -0.0001, 5)


@pytest.mark.parametrize("point", [(0, 5), (10, 5), (5, 0), (5, 10), (0, 0), (10, 10), (3.25, 0)])
def test_points_on_edges_and_vertices_are_inside(point: tuple[float, float]) -> None:
    assert inside(SQUARE, *point)


def test_ray_through_a_vertex_is_counted_once() -> None:
    # A ray from (−1, 5) going east passes through the diamond's vertices at y=5.
    diamond = {"type": "Polygon", "coordinates": [[[0, 5], [5, 0], [10, 5], [5, 10], [0, 5]]]}
    assert inside(diamond, 5, 5)
    assert not inside(diamond, -1, 5)
    assert not inside(diamond, 11, 5)


def test_hole_is_outside_but_its_edge_is_inside() -> None:
    assert inside(DONUT, 2, 2)
    assert not inside(DONUT, 5, 5)
    assert inside(DONUT, 4, 5)  # on the hole's edge: still the quartier's street


def test_multipolygon_each_piece_and_the_sea_between() -> None:
    assert inside(ISLANDS, 1, 1)
    assert inside(ISLANDS, 6, 6)
    assert not inside(ISLANDS, 3.5, 3.5)


def test_concave_notch_is_outside() -> None:
    assert inside(U_SHAPE, 1, 5)
    assert inside(U_SHAPE, 5, 5)
    assert not inside(U_SHAPE, 3, 4)


def test_feature_and_decimals_are_accepted() -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": SQUARE}
    assert geo.contains(feature, latitude=Decimal("5.5"), longitude=Decimal("2.000001"))


@pytest.mark.parametrize(
    "broken",
    [
        None,
        "POLYGON((0 0, 1 1))",
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, "a"], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, True], [1, 1], [0, 0]]]},
    ],
)
def test_broken_geometries_are_refused(broken: Any) -> None:
    with pytest.raises(geo.GeometryError):
        geo.contains(broken, latitude=0.5, longitude=0.5)


@dataclass
class Place:
    name: str
    boundary: Any


def test_locate_first_match_skips_missing_and_broken_outlines_and_none_outside_all() -> None:
    left = Place("gauche", {"type": "Polygon", "coordinates": [[[0, 0], [5, 0], [5, 10], [0, 10], [0, 0]]]})
    right = Place("droite", {"type": "Polygon", "coordinates": [[[5, 0], [10, 0], [10, 10], [5, 10], [5, 0]]]})
    broken = Place("cassé", {"type": "Polygon", "coordinates": "x"})
    empty = Place("vide", None)
    places = [empty, broken, left, right]
    assert geo.locate(places, latitude=5, longitude=7) is right
    assert geo.locate(places, latitude=5, longitude=2) is left
    # On the shared edge: the first in the given order, never "outside".
    assert geo.locate(places, latitude=5, longitude=5) is left
    assert geo.locate(places, latitude=50, longitude=50) is None


def test_bounding_box() -> None:
    box = geo.bounding_box([SQUARE, ISLANDS])
    assert box == geo.Box(0, 0, 10, 10)
    assert geo.bounding_box([]) is None


def test_demo_outlines_tile_the_city_without_overlap() -> None:
    outlines = demo_boundaries()
    quartiers = [outlines[q["name"]] for q in demo_data.QUARTIERS]
    for quartier in demo_data.QUARTIERS:
        lat, lon = quartier["centre"]
        holders = [
            index for index, outline in enumerate(quartiers) if geo.contains(outline, latitude=lat, longitude=lon)
        ]
        assert holders == [demo_data.QUARTIERS.index(quartier)]
        assert geo.contains(outlines["Nantes"], latitude=lat, longitude=lon)
    # A point in the Loire estuary, far west, is in no quartier.
    assert not any(geo.contains(outline, latitude=47.2, longitude=-1.75) for outline in quartiers)


def test_every_demo_street_lies_in_a_quartier() -> None:
    quartiers = [demo_boundaries()[q["name"]] for q in demo_data.QUARTIERS]
    streets = gazetteer.streets()
    assert len(streets) >= 300
    for street in streets:
        assert any(geo.contains(o, latitude=street.latitude, longitude=street.longitude) for o in quartiers), street


def test_gazetteer_search_ignores_accents_case_and_word_order() -> None:
    names = [street.name for street in gazetteer.search("GERAUD")]
    assert names and all("Géraudière" in name for name in names)
    assert [s.name for s in gazetteer.search("curie marie")] == [s.name for s in gazetteer.search("Marie-Curie")]
    assert gazetteer.search("r") == []  # too short to mean anything
    assert gazetteer.search("   ") == []
    assert gazetteer.search("zzzzqqq") == []
    assert len(gazetteer.search("rue")) == gazetteer.LIMIT


def test_gazetteer_file_is_valid_csv_with_coordinates() -> None:
    path = gazetteer.DEFAULT_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "nom,latitude,longitude"
    assert len(lines) - 1 == len(gazetteer.streets())


def test_demo_boundaries_file_is_geojson() -> None:
    collection = json.loads((gazetteer.DEFAULT_FILE.parent / "quartiers-nantes.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(demo_data.QUARTIERS) + 1
