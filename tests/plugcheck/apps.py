from __future__ import annotations

from django.apps import AppConfig


class PlugcheckConfig(AppConfig):
    name = "tests.plugcheck"
    label = "plugcheck"
    verbose_name = "Module témoin"

    def ready(self) -> None:
        from tests.plugcheck import manifest  # noqa: F401  (registers the module)
