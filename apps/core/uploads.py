"""Uploads: images decoded and re-encoded by Pillow, stored under names the server chooses.

What a person uploads is never stored as given: a PNG followed by an HTML page and named
``poly.html`` was once served back as a web page. Here an image is decoded, turned upright
(EXIF orientation), stripped of every metadata (EXIF holds the GPS position of a resident's
phone) and of any trailing bytes, and written again in the format it really is. The stored
name is random, with the extension of that format (``UploadPath``), and the media view
serves only the extensions of ``SERVED_TYPES``.
"""

from __future__ import annotations

import io
import uuid
import warnings
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

from apps.core.formatting import file_size

# Formats accepted on upload → format written. GIF becomes PNG (first frame): one less type to
# serve, and nothing in a participation platform needs animation.
ALLOWED_IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# The only files the media view and the document view ever send, by stored extension.
SERVED_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "pdf": "application/pdf",
}
# Larger pictures are scaled down: plenty for a web page, and a smaller file to keep.
MAX_STORED_SIDE = 4096
# A side longer than this is no photo (a 40 000 × 20 strip, a crafted header): refused.
MAX_IMAGE_SIDE = 16_384


@deconstructible
class UploadPath:
    """``upload_to`` of every file field: ``<folder>/<year>/<month>/<random>.<extension>``.

    The name the person gave is dropped; only its extension is kept, and only when it is one
    the field stores (images are renamed by ``reencode_image`` before they get here, so the
    extension is that of their real format). Anything else gets ``.bin``, which is never served.
    """

    def __init__(self, folder: str, kind: str = "image") -> None:
        self.folder = folder
        self.kind = kind

    def allowed_extensions(self) -> set[str]:
        return {"pdf"} if self.kind == "pdf" else set(EXTENSIONS.values())

    def __call__(self, instance: Any, filename: str) -> str:
        extension = PurePosixPath(filename).suffix.lower().lstrip(".")
        if extension not in self.allowed_extensions():
            extension = "bin"
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadPath) and (self.folder, self.kind) == (other.folder, other.kind)

    def __hash__(self) -> int:
        return hash((self.folder, self.kind))


def _too_large() -> ValidationError:
    return ValidationError(
        _("Image trop grande : %(limit)s millions de pixels au maximum. Réduisez-la avant de l'envoyer.")
        % {"limit": settings.MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _unreadable() -> ValidationError:
    return ValidationError(
        _("Ce fichier n'est pas une image lisible. Formats acceptés : JPEG, PNG, WebP, GIF."),
        code="not_image",
    )


def _open(upload: File[Any]) -> Image.Image:
    """Open (header only) and check size in bytes, format and pixel count. A decompression
    bomb (a few KB that decode to gigabytes) is refused here, before any pixel is decoded."""
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("L'image est trop lourde (%(size)s) : %(limit)s au maximum.")
            % {"size": file_size(upload.size), "limit": file_size(limit)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unreadable() from exc
    if image.format not in ALLOWED_IMAGE_FORMATS:
        image.close()
        raise ValidationError(
            _("Format d'image non accepté (%(format)s). Formats acceptés : JPEG, PNG, WebP, GIF.")
            % {"format": image.format},
            code="bad_format",
        )
    if image.width * image.height > settings.MAX_IMAGE_PIXELS:
        image.close()
        raise _too_large()
    if max(image.width, image.height) > MAX_IMAGE_SIDE:
        # Not ``image.close()``: it would close the upload itself, which the form seeks back.
        raise ValidationError(
            _("Image trop grande : %(limit)s pixels de côté au maximum. Réduisez-la avant de l'envoyer.")
            % {"limit": f"{MAX_IMAGE_SIDE:,}".replace(",", "\u202f")},
            code="too_wide",
        )
    return image


def validate_image_upload(upload: File[Any]) -> None:
    """The checks a form runs for a clear field error: weight, format, pixels, structure."""
    try:
        with _open(upload) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError) as exc:
        raise _unreadable() from exc
    finally:
        upload.seek(0)


def _writable(image: Image.Image, target: str) -> Image.Image:
    if target == "JPEG" and image.mode not in ("RGB", "L"):
        return image.convert("RGB")
    if target == "WEBP" and image.mode not in ("RGB", "RGBA"):
        return image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    if target == "PNG" and image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
        return image.convert("RGBA")
    return image


def reencode_image(upload: File[Any]) -> ContentFile[bytes]:
    """Decode ``upload`` and write it again: upright, without metadata or trailing bytes,
    at most ``MAX_STORED_SIDE`` pixels a side, named ``<random>.<real extension>``."""
    try:
        with _open(upload) as opened:
            target = ALLOWED_IMAGE_FORMATS[str(opened.format)]
            opened.draft("RGB", (MAX_STORED_SIDE, MAX_STORED_SIDE))  # JPEG: decode at a smaller scale
            opened.load()
            icc_profile = opened.info.get("icc_profile")
            image = ImageOps.exif_transpose(opened)
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _unreadable() from exc
    finally:
        upload.seek(0)
    options: dict[str, Any] = {}
    if target in ("JPEG", "WEBP"):
        options["quality"] = 85
    buffer = io.BytesIO()
    try:
        image.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
        writable = _writable(image, target)
        if icc_profile and writable is image:
            # Colours, not personal data: kept so a calibrated photo keeps its colours.
            options["icc_profile"] = icc_profile
        writable.save(buffer, format=target, **options)
    except (OSError, ValueError) as exc:
        raise _unreadable() from exc
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[target]}")


# --- PDF documents ---------------------------------------------------------------------------

MAX_PDF_BYTES = 10 * 1024 * 1024


def validate_pdf_upload(upload: File[Any]) -> None:
    """A PDF by its name, its first bytes (``%PDF-``), a parse with at least one page and a size
    cap: a renamed executable or an HTML page is never published as a document. The bytes are
    not rewritten (a signed PDF would lose its signature): a document is stored under a random
    ``.pdf`` name and always sent as a download (``stored_file_response``)."""
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
    if head != b"%PDF-" or not _has_pages(upload):
        raise ValidationError(_("Ce fichier n'est pas un document PDF lisible."), code="not_pdf")


def _has_pages(upload: File[Any]) -> bool:
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


# --- serving stored files ----------------------------------------------------------------------

# Policy of every stored file sent back (django-csp ``@csp`` on the views that send them): even
# a file that slipped through could run nothing, load nothing, and lives in a sandbox.
STORED_FILE_CSP: dict[str, Any] = {
    "default-src": [NONE],
    "img-src": [SELF],
    "style-src": [UNSAFE_INLINE],  # the browser's own image viewer styles itself inline
    "sandbox": True,
}
_SIGNATURES = {
    "image/png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "image/webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    "application/pdf": lambda head: head.startswith(b"%PDF-"),
}


def served_type(name: str) -> str | None:
    """The Content-Type a stored file is sent with, from the allow-list; None: never sent."""
    return SERVED_TYPES.get(PurePosixPath(name).suffix.lower().lstrip("."))


def stored_file_response(handle: BinaryIO, *, name: str, download_name: str = "") -> FileResponse:
    """Send a stored file: its type from the allow-list by extension, checked against its first
    bytes; images inline, anything else (PDF) as a download; never sniffed by the browser."""
    content_type = served_type(name)
    head = handle.read(16)
    handle.seek(0)
    if content_type is None or not _SIGNATURES[content_type](head):
        handle.close()
        raise Http404
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not content_type.startswith("image/"),
        filename=download_name or PurePosixPath(name).name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
