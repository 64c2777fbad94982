"""Map data put on the fixture world by the map screens and tests: quartier outlines (the
other quartier to the west, the quartier to the east) and placed proposals."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from apps.proposals.models import Proposal

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.security.world import World


def square(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


def draw_outlines(world: World) -> None:
    for territory, box in (
        (world.city, (-1.60, 47.20, -1.50, 47.24)),
        (world.other_quartier, (-1.60, 47.20, -1.57, 47.24)),
        (world.quartier, (-1.57, 47.20, -1.50, 47.24)),
    ):
        territory.boundary = square(*box)
        territory.save(update_fields=["boundary"])


def place_proposals(world: World) -> None:
    Proposal.objects.filter(process=world.process).update(
        latitude=Decimal("47.2184"), longitude=Decimal("-1.5336"), address="place du Commerce"
    )


def with_map_data(page: Page, world: World) -> None:
    """Screen action: outlines and placed proposals, then the page again."""
    draw_outlines(world)
    place_proposals(world)
    page.reload()
