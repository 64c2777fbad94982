"""Upload checks: real image content (decoded by Pillow), allowed formats, size cap."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from apps.core.formatting import file_size

ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def validate_image_upload(upload: UploadedFile) -> None:
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("L'image est trop lourde (%(size)s) : %(limit)s au maximum.")
            % {"size": file_size(upload.size), "limit": file_size(limit)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible. Formats acceptés : JPEG, PNG, WebP, GIF."),
            code="not_image",
        ) from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("Format d'image non accepté (%(format)s). Formats acceptés : JPEG, PNG, WebP, GIF.")
            % {"format": image_format},
            code="bad_format",
        )
