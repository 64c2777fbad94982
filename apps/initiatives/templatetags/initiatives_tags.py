"""Template filters of the initiatives module."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def in_days(delay: datetime.timedelta | None) -> str:
    """A delay as the holder counts it: in whole days (« moins d'un jour » under one)."""
    if delay is None:
        return ""
    days = delay.days
    if days < 1:
        return _("moins d'un jour")
    return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
