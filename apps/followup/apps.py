from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "apps.followup"
    label = "followup"
    verbose_name = _("Suivi des engagements")

    def ready(self) -> None:
        from apps.followup import manifest, signals  # noqa: F401  (open data exports, commitment_changed)
