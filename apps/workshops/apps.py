from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "apps.workshops"
    label = "workshops"
    verbose_name = _("Ateliers citoyens et conseils")

    def ready(self) -> None:
        from apps.workshops import manifest  # noqa: F401  (registers the module and its exports)
