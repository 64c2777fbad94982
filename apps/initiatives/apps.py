from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "apps.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives habitantes")

    def ready(self) -> None:
        from apps.initiatives import manifest  # noqa: F401  (registers the module)
