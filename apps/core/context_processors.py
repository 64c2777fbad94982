from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.core import theme
from apps.core.roles import is_staff_anywhere


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ACCESSIBILITY_CONTACT": settings.ACCESSIBILITY_CONTACT,
        "LEGAL_PUBLISHER_NAME": settings.LEGAL_PUBLISHER_NAME,
        "THEME_VERSION": theme.version(),
        # Lazy: only the site header asks (whole pages). A fragment answered to htmx (the
        # support box) renders without it and need not read the person's roles.
        "user_is_staff_anywhere": SimpleLazyObject(lambda: is_staff_anywhere(getattr(request, "user", None))),
    }
