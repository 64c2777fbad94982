"""Server-rendered choropleth: classes, projection, missing values, and its budget use."""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string

from apps.budgets.models import Result
from apps.budgets.voting.results import _turnout_map
from apps.core import choropleth


def square(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


WEST = square(-1.60, 47.20, -1.55, 47.24)
EAST = square(-1.55, 47.20, -1.50, 47.24)
NORTH = square(-1.60, 47.24, -1.50, 47.26)


def _percent(value: float) -> str:
    return f"{value:.1f} %"


def test_lowest_is_lightest_highest_darkest_and_missing_is_grey() -> None:
    chart = choropleth.build(
        [
            choropleth.Region("Ouest", WEST, 2.0),
            choropleth.Region("Est", EAST, 12.0),
            choropleth.Region("Nord", NORTH, None),
        ],
        title="Participation",
        description="Plus foncé : plus de votants.",
        formatter=_percent,
    )
    assert chart is not None
    fills = {shape.name: shape.fill for shape in chart.shapes}
    assert fills == {"Ouest": choropleth.PALETTE[0], "Est": choropleth.PALETTE[-1], "Nord": choropleth.NO_DATA}
    assert [shape.label for shape in chart.shapes] == ["Ouest : 2.0 %", "Est : 12.0 %", "Nord : pas de donnée"]
    assert chart.legend[0].label == "2.0 % – 4.0 %" and chart.legend[-1].label == "pas de donnée"


def test_projection_keeps_north_up_and_the_aspect_of_the_city() -> None:
    chart = choropleth.build(
        [choropleth.Region("Ouest", WEST, 1.0), choropleth.Region("Est", EAST, 1.0)],
        title="t",
        description="d",
        formatter=_percent,
    )
    assert chart is not None
    # 0.10° of longitude × cos(47.22°) against 0.04° of latitude: about 1.7 times wider than tall.
    assert chart.width == 600 and 330 < chart.height < 370
    west_x = [float(x) for x in re.findall(r"([\d.]+),", chart.shapes[0].path)]
    east_x = [float(x) for x in re.findall(r"([\d.]+),", chart.shapes[1].path)]
    assert max(west_x) <= min(east_x) + 0.1
    # Equal values: one class, the darkest colour, one legend line.
    assert {shape.fill for shape in chart.shapes} == {choropleth.PALETTE[-1]} and len(chart.legend) == 1


def test_holes_and_multipolygons_become_subpaths() -> None:
    donut = {
        "type": "Polygon",
        "coordinates": [WEST["coordinates"][0], square(-1.58, 47.21, -1.57, 47.22)["coordinates"][0]],
    }
    islands = {"type": "MultiPolygon", "coordinates": [EAST["coordinates"], NORTH["coordinates"]]}
    chart = choropleth.build(
        [choropleth.Region("Trou", donut, 1.0), choropleth.Region("Îles", islands, 2.0)],
        title="t",
        description="d",
        formatter=_percent,
    )
    assert chart is not None
    assert [shape.path.count("M") for shape in chart.shapes] == [2, 2]


def test_fewer_than_two_drawable_regions_draw_nothing() -> None:
    broken = {"type": "Polygon", "coordinates": "nope"}
    regions = [
        choropleth.Region("Seul", WEST, 1.0),
        choropleth.Region("Cassé", broken, 2.0),
        choropleth.Region("Vide", None, 3.0),
    ]
    assert choropleth.build(regions, title="t", description="d", formatter=_percent) is None


def test_budget_turnout_map_and_its_component() -> None:
    result = Result(
        turnout={
            "ouest": {"name": "Ouest", "voters": 120, "population": 6000, "rate": 2.0},
            "est": {"name": "Est", "voters": 600, "population": 5000, "rate": 12.0},
            "": {"name": "Quartier non renseigné", "voters": 4, "population": None, "rate": None},
        }
    )
    chart = _turnout_map(result, {"ouest": WEST, "est": EAST})
    assert chart is not None and [shape.name for shape in chart.shapes] == ["Ouest", "Est"]
    html = render_to_string(
        "components/choropleth.html", {"chart": chart, "id": "carte-participation-1", "table_id": "tableau-1"}
    )
    assert 'role="img" aria-labelledby="carte-participation-1-titre carte-participation-1-desc"' in html
    assert "<title>Est : 12,0 %</title>" in html
    assert 'href="#tableau-1"' in html
    assert "style=" not in html  # the CSP allows no inline style
    assert _turnout_map(result, {"ouest": WEST}) is None
