"""Template filters of French typography, loaded as builtins (``TEMPLATES["OPTIONS"]["builtins"]``)
so that every template gets them without ``{% load %}``.

``date`` replaces Django's filter of the same name: it behaves the same, and writes « 1er » for
the first day of a month in French (« 1er janvier 2027 »), which no format string can express.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaultfilters

from apps.core import formatting

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    if hasattr(value, "day") and hasattr(value, "month"):
        try:
            return formatting.date_format(value, arg)
        except AttributeError:
            pass
    return str(defaultfilters.date(value, arg))


@register.filter(is_safe=True)
def nombre(value: Any, digits: int = 0) -> str:
    """« 36 000 »: a displayed count or amount with grouped thousands (never for ids in URLs)."""
    if value in (None, ""):
        return ""
    return formatting.number(value, digits)


@register.filter(is_safe=True)
def pourcentage(ratio: Any, digits: int = 1) -> str:
    """0.142857 → « 14,3 % », rounded half up."""
    return formatting.percent(ratio, digits)


@register.filter(is_safe=True)
def taille_fichier(size: Any) -> str:
    """Bytes → « 19,1 Mo »."""
    return formatting.file_size(int(size or 0))
