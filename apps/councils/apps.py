from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "apps.councils"
    label = "councils"
    verbose_name = _("Conseils citoyens et jurys")

    def ready(self) -> None:
        from apps.councils import manifest  # noqa: F401  (registers the open data exports)
