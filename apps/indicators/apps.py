from __future__ import annotations

import logging
from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from apps.indicators import rollup


class IndicatorsConfig(AppConfig):
    name = "apps.indicators"
    label = "indicators"
    verbose_name = _("Indicateurs de participation")

    def ready(self) -> None:
        from apps.indicators import manifest  # noqa: F401  (register the module)

        post_migrate.connect(_repair_rollups, sender=self, dispatch_uid="indicators_repair_rollups")


def _repair_rollups(using: str = "default", **kwargs: Any) -> None:
    """A migration that rebuilt the events table on SQLite dropped the rollups' triggers."""
    repaired = rollup.repair(connections[using])
    if repaired:
        names = ", ".join(spec.table for spec in repaired)
        logging.getLogger(__name__).warning("Rollup triggers put back and tables recomputed: %s", names)
