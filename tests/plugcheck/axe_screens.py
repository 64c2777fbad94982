"""The test module's axe screens: the axe run finds them next to the module's code
(``<app package>.axe_screens``) through the registered manifest. The world's objects are those of
``security_matrix.extend_world``."""

from __future__ import annotations

from tests.browser.screens import Screen, url

PROCESS = "extra.plugcheck.process.pk"

SCREENS: list[Screen] = [
    Screen("plugcheck-index", url("plugcheck:index")),
    Screen("plugcheck-mine", url("plugcheck:mine"), persona="resident"),
    Screen("plugcheck-bo-index", url("plugcheck_admin:index"), persona="agent"),
    Screen("plugcheck-bo-process", url("plugcheck_admin:process", pk=PROCESS), persona="agent"),
]
