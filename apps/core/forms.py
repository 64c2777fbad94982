"""Form widgets shared by every app.

Dates are typed as JJ/MM/AAAA whatever the browser: ``<input type="date">`` shows the browser's
own locale (mm/dd/yyyy in an English browser), a picker that screen-reader users and older
phones handle badly, and nothing at all in some browsers. A plain text input with the format in
the label works everywhere. The fields parse ``%d/%m/%Y`` first and ISO dates too (the input
formats of ``archipel.formats``), so scripts and tests that post ISO dates keep working.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"


class DateInput(forms.DateInput):
    """A date typed as JJ/MM/AAAA (``includes/field.html`` adds the format to the label)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": _("JJ/MM/AAAA"), "class": "date-input", "size": "10", "maxlength": "10"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    """A date and time typed as JJ/MM/AAAA HH:MM."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": _("JJ/MM/AAAA HH:MM"), "class": "date-input", "size": "16", "maxlength": "16"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATETIME_FORMAT)
