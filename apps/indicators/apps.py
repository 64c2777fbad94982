from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "apps.indicators"
    label = "indicators"
    verbose_name = _("Indicateurs de participation")

    def ready(self) -> None:
        from apps.indicators import manifest  # noqa: F401  (register the module)
