from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from apps.accounts import manifest  # noqa: F401  (registers the platform's personal data)
