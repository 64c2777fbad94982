"""Axe screens of the indicators module: the public pages (charts with their tables, small
cells hidden), the back office with its alerts, and the city-wide administrator's pages
(reference populations with an import error, thresholds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from tests.browser.screens import Screen, at_phone, url

if TYPE_CHECKING:
    from playwright.sync_api import FilePayload, Page

    from tests.security.world import World


def upload_bad_file(page: Page, world: World) -> None:
    bad: FilePayload = {"name": "insee.csv", "mimeType": "text/csv", "buffer": b"IRIS;LIBIRIS\n1;x\n"}
    page.set_input_files("#id_file", files=[bad])
    page.get_by_role("button", name="Importer").click()
    page.wait_for_load_state()


SCREENS: list[Screen] = [
    Screen("indicators-city", url("indicators:index")),
    Screen("indicators-process", url("indicators:process", pk="process.pk")),
    Screen("indicators-bo-index", url("indicators_admin:index"), persona="agent"),
    Screen("indicators-bo-process", url("indicators_admin:process", pk="process.pk"), persona="agent"),
    Screen("indicators-bo-reference", url("indicators_admin:reference"), persona="city_admin", action=upload_bad_file),
    Screen("indicators-bo-thresholds", url("indicators_admin:thresholds"), persona="city_admin"),
    Screen("indicators-bo-catalogue", url("indicators_admin:catalogue"), persona="city_admin"),
    Screen("indicators-bo-structures", url("indicators_admin:structures"), persona="agent"),
    Screen("indicators-bo-structure", url("indicators_admin:structure", pk="extra.structures.own.pk"), persona="agent"),
]
# Their wide tables at a phone's width, where they scroll.
SCREENS += [
    at_phone(screen)
    for screen in SCREENS
    if screen.name in {"indicators-process", "indicators-bo-catalogue", "indicators-bo-structure"}
]


# The yearly « cahier de la participation » of a quartier (its PDF is checked in tests/indicators/test_cahier.py).
SCREENS += [
    Screen("indicators-cahiers", url("indicators:cahiers")),
    Screen(
        "indicators-cahier",
        lambda world: reverse("indicators:cahier", kwargs={"pk": world.quartier.pk, "year": timezone.localdate().year}),
        route="indicators:cahier",
    ),
]
COVERED_ELSEWHERE = {
    "indicators:cahier_pdf": "a PDF, not an HTML page (text checked in tests/indicators/test_cahier.py)"
}
