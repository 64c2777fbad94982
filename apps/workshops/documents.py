"""Checks of the documents attached to sessions: PDF only, by content and size."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from apps.core.formatting import file_size

MAX_PDF_BYTES = 10 * 1024 * 1024


def validate_pdf_upload(upload: UploadedFile) -> None:
    """A PDF by its name, its first bytes (``%PDF-``) and a size cap: a renamed executable or an
    HTML page never gets published as a session document."""
    if upload.size is not None and upload.size > MAX_PDF_BYTES:
        raise ValidationError(
            _("Le document est trop lourd (%(size)s) : %(limit)s au maximum.")
            % {"size": file_size(upload.size), "limit": file_size(MAX_PDF_BYTES)},
            code="too_large",
        )
    if not (upload.name or "").lower().endswith(".pdf"):
        raise ValidationError(_("Seuls les documents PDF sont acceptés (extension .pdf)."), code="bad_extension")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Ce fichier n'est pas un document PDF lisible."), code="not_pdf")
