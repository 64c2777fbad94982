"""``manage.py import_insee FILE``: import an INSEE population table by IRIS (with the city's
QUARTIER column) as the reference population of its year; French errors, nothing imported on error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.indicators import insee, services


class Command(BaseCommand):
    help = "Importe un fichier INSEE de population par IRIS (avec une colonne QUARTIER) comme population de référence."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                raw = handle.read(insee.MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Impossible de lire {path} : {error.strerror}") from error
        try:
            parsed = services.reference_import(actor=None, raw=raw)
        except insee.InseeError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            f"Population de référence {parsed.year} importée : {parsed.rows} IRIS, {len(parsed.figures)} quartiers."
        )
