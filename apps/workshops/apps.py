from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "apps.workshops"
    label = "workshops"
    verbose_name = _("Ateliers citoyens et conseils")

    def ready(self) -> None:
        from apps.workshops import answering, manifest  # noqa: F401  (register the module, exports, answers)
