"""Parsing of request parameters: one place that turns what a visitor typed into a value or
``None``, so that no view crashes on input it did not expect (issue 8, item 11).

Python's ``int()`` and ``str.isdigit()`` both accept far more than ASCII digits: ``'²'.isdigit()``
is true but ``int('²')`` raises, ``int('١٢')`` is 12 in Arabic-Indic digits, ``int(' 7 ')`` is 7.
A parameter of Archipel is either plain ASCII digits or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# 18 digits always fit in a PostgreSQL bigint (9.2e18): longer values are never valid keys.
MAX_DIGITS = 18
_ASCII_INTEGER = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}", flags=re.ASCII)


def parse_int(
    value: object,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """``value`` as an int when it is plain ASCII digits (an optional leading minus) within
    ``minimum``/``maximum``; ``default`` otherwise (empty, Unicode digits, NUL, floats, too long)."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_INTEGER.fullmatch(value):
        number = int(value)
    else:
        return default
    if minimum is not None and number < minimum:
        return default
    if maximum is not None and number > maximum:
        return default
    return number


def parse_id(value: object) -> int | None:
    """A primary key typed in a form or a query string (a positive int), or ``None``."""
    return parse_int(value, minimum=1)


def parse_page(value: object) -> int:
    """A page number: 1 when missing or not a positive int (the paginator then clamps it)."""
    return parse_int(value, default=1, minimum=1) or 1


def has_nul(value: str) -> bool:
    return "\x00" in value


class RejectNulBytesMiddleware:
    """A NUL byte in the path or in any parameter is never legitimate (PostgreSQL refuses it in
    text, the file system in paths): answer 400 before any view sees it, instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request.path):
            raise BadRequest(_("La requête contient un caractère interdit."))
        if any(has_nul(key) or has_nul(value) for key, value in _items(request.GET)):
            raise BadRequest(_("La requête contient un caractère interdit."))
        if request.method == "POST" and any(has_nul(key) or has_nul(value) for key, value in _items(request.POST)):
            raise BadRequest(_("La requête contient un caractère interdit."))
        return self.get_response(request)


def _items(query: object) -> list[tuple[str, str]]:
    lists = getattr(query, "lists", None)
    if lists is None:
        return []
    return [(key, value) for key, values in lists() for value in values if isinstance(value, str)]
