from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "apps.petitions"
    label = "petitions"
    verbose_name = _("Pétitions et agoras éphémères")

    def ready(self) -> None:
        from apps.petitions import answering, manifest  # noqa: F401  (registers the module and its answers)
