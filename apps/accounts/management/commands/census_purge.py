"""``manage.py census_purge``: delete the census lists whose purge date has come (RGPD).

Also run every night by the huey periodic task ``purge_expired_census``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.accounts.census import census_purge


class Command(BaseCommand):
    help = "Supprime les listes de recensement dont la date de suppression est passée."

    def handle(self, *args: Any, **options: Any) -> None:
        count = census_purge()
        self.stdout.write(f"Listes de recensement supprimées : {count}.")
