from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self) -> None:
        from apps.core import checks, manifest  # noqa: F401  (register the system checks and open data exports)
