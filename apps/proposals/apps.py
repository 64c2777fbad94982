from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "apps.proposals"
    label = "proposals"
    verbose_name = _("Propositions")

    def ready(self) -> None:
        from apps.proposals import answering, manifest  # noqa: F401  (register the module and its answers)
