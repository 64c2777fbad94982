"""``manage.py sortition_purge``: delete the personal data of draws whose purge date has come (RGPD).

Also run every night by the huey periodic task ``purge_expired_personal_data``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.sortition.services import purge_personal_data


class Command(BaseCommand):
    help = "Supprime les données personnelles des tirages au sort dont la date de suppression est passée."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_personal_data()
        self.stdout.write(f"Données personnelles supprimées pour {count} tirage{'s' if count > 1 else ''}.")
