from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SittingsConfig(AppConfig):
    name = "apps.sittings"
    label = "sittings"
    verbose_name = _("Séances et réunions")

    def ready(self) -> None:
        from apps.sittings import manifest  # noqa: F401  (declares the personal data it holds)
