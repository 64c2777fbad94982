"""Checks of the documents attached to sessions: PDF only, by content and size.

A document is stored under a random ``.pdf`` name (``UploadPath``) and always downloaded as an
attachment: a PDF that also carries HTML never opens as a page of the site. It is not rewritten:
a signed PDF would lose its signature.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader

MAX_PDF_BYTES = 10 * 1024 * 1024


def validate_pdf_upload(upload: UploadedFile) -> None:
    """A PDF by its name, its first bytes (``%PDF-``) and a size cap: a renamed executable or an
    HTML page never gets published as a session document."""
    if upload.size is not None and upload.size > MAX_PDF_BYTES:
        raise ValidationError(
            _("Le document est trop lourd (%(size)s) : %(limit)s au maximum.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_PDF_BYTES)},
            code="too_large",
        )
    if not (upload.name or "").lower().endswith(".pdf"):
        raise ValidationError(_("Seuls les documents PDF sont acceptés (extension .pdf)."), code="bad_extension")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-" or not _has_pages(upload):
        raise ValidationError(_("Ce fichier n'est pas un document PDF lisible."), code="not_pdf")


def _has_pages(upload: UploadedFile) -> bool:
    """True when the file parses as a PDF with at least one page (a password that only
    restricts printing or copying is fine; a password needed to open it is not)."""
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return False
        return len(reader.pages) > 0
    except Exception:
        return False
    finally:
        upload.seek(0)
