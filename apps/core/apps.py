from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        from apps.core import checks, manifest, process_cache  # noqa: F401  (system checks, open data exports, cache signals)

        # Every Pillow decode in the process refuses decompression bombs past this size.
        Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
