from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "apps.budgets"
    label = "budgets"
    verbose_name = _("Budget participatif")

    def ready(self) -> None:
        from apps.budgets import manifest  # noqa: F401  (registers the module and its exports)
