from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SortitionConfig(AppConfig):
    name = "apps.sortition"
    label = "sortition"
    verbose_name = _("Tirage au sort")

    def ready(self) -> None:
        from apps.sortition import manifest  # noqa: F401  (registers the module and its exports)
