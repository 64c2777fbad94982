"""Bring the files uploaded before re-encoding to today's rules, once, after the upgrade:
``python manage.py reencode_uploads``.

Every file field whose ``upload_to`` is an ``UploadPath`` is walked (so a new upload field is
covered without touching this command). Images are re-encoded (upright, no metadata, no trailing
bytes) under a random name with the extension of their real format; PDFs keep their bytes (a
signature would break) and get a random ``.pdf`` name. A file that is not what its field
accepts is reported and left where it is: the media view never serves it (wrong extension or
wrong first bytes), and the person running the command decides what to do with the row.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import models, transaction

from apps.core.uploads import UploadPath, reencode_image, validate_pdf_upload


class Command(BaseCommand):
    help = "Re-encode stored images and rename stored uploads to random names (run once after upgrading)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would change, change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        done = refused = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.FileField) or not isinstance(field.upload_to, UploadPath):
                    continue
                for row in model._default_manager.exclude(**{field.name: ""}).order_by("pk").iterator():
                    if self._rewrite(row, field, field.upload_to.kind, dry_run=dry_run):
                        done += 1
                    else:
                        refused += 1
        self.stdout.write(f"{done} file(s) rewritten, {refused} refused{' (dry run)' if dry_run else ''}.")

    def _rewrite(self, row: models.Model, field: models.FileField, kind: str, *, dry_run: bool) -> bool:
        stored = getattr(row, field.attname)
        old_name = stored.name
        label = f"{row._meta.label} #{row.pk} {field.name} {old_name}"
        try:
            with stored.storage.open(old_name, "rb") as handle:
                upload = File(handle, name=old_name)
                if kind == "pdf":
                    validate_pdf_upload(upload)
                    content: File[Any] = upload
                else:
                    content = reencode_image(upload)
                if dry_run:
                    self.stdout.write(f"would rewrite: {label}")
                    return True
                with transaction.atomic():
                    stored.save(PurePosixPath(str(content.name)).name, content, save=False)
                    type(row)._default_manager.filter(pk=row.pk).update(**{field.attname: stored.name})
        except FileNotFoundError:
            self.stderr.write(f"refused (missing file): {label}")
            return False
        except ValidationError as error:
            self.stderr.write(f"refused ({' '.join(error.messages)}): {label}")
            return False
        stored.storage.delete(old_name)
        self.stdout.write(f"rewritten: {label} -> {stored.name}")
        return True
