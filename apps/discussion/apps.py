from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "apps.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from apps.discussion import manifest  # noqa: F401  (registers the primitive)
