from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "apps.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from apps.consultations import manifest  # noqa: F401  (registers the module)
