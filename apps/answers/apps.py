from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnswersConfig(AppConfig):
    name = "apps.answers"
    label = "answers"
    verbose_name = _("Réponses argumentées")

    def ready(self) -> None:
        from apps.answers import manifest  # noqa: F401  (registers the primitive's declarations)
