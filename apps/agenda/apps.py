from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "apps.agenda"
    label = "agenda"
    verbose_name = _("Agenda des quartiers")

    def ready(self) -> None:
        from apps.agenda import discussion, manifest  # noqa: F401  (registers the manifest and the comment target)
