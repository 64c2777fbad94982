"""The page's masked CSRF token, as Django's ``get_token`` makes it, in a few Python calls.

Django draws each of the 32 random characters of the mask with ``secrets.choice`` and adds the
mask to the secret one character at a time through generators: about 490 Python calls, on every
page that prints a form or ``base.html``'s htmx header (every page). Here the same random
characters come from one ``secrets.token_bytes`` read, and the addition is one list
comprehension. The token is the same: a mask uniformly drawn from ``CSRF_ALLOWED_CHARS`` by the
operating system's CSPRNG, then the secret shifted by the mask, character by character (modulo
62), which ``CsrfViewMiddleware`` unmasks as before. The cookie side is Django's too: the same
``request.META`` keys, so the middleware sets or renews the cookie as with ``get_token``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.functional import SimpleLazyObject

_CHARS = CSRF_ALLOWED_CHARS
_RADIX = len(_CHARS)  # 62
_INDEX = {char: index for index, char in enumerate(_CHARS)}
# Bytes from this value up are dropped, not folded: 248 = 4 × 62, so ``byte % 62`` of the bytes
# kept is uniform (folding all 256 values would favour the first eight characters).
_UNBIASED_LIMIT = 256 - 256 % _RADIX


def random_chars(length: int) -> str:
    """``length`` characters drawn uniformly from ``CSRF_ALLOWED_CHARS`` (as Django's
    ``get_random_string`` draws them, from the same CSPRNG)."""
    chars: list[str] = []
    while len(chars) < length:
        # Twice the bytes needed: 97 % of them are kept, so one read nearly always suffices.
        chars += [_CHARS[byte % _RADIX] for byte in secrets.token_bytes(2 * length) if byte < _UNBIASED_LIMIT]
    return "".join(chars[:length])


def _masked(secret: str) -> str:
    mask = random_chars(CSRF_SECRET_LENGTH)
    cipher = "".join([_CHARS[(_INDEX[s] + _INDEX[m]) % _RADIX] for s, m in zip(secret, mask, strict=True)])
    return mask + cipher


def get_token(request: HttpRequest) -> str:
    """What ``django.middleware.csrf.get_token`` returns and does: a new secret for the cookie
    when the request has none, the cookie flagged for renewal, a newly masked token."""
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
    else:
        secret = request.META["CSRF_COOKIE"] = random_chars(CSRF_SECRET_LENGTH)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return _masked(secret)


def context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``csrf_token`` for ``{% csrf_token %}`` and ``{{ csrf_token }}``,
    masked on first use, in place of Django's built-in processor (listed after it, it wins)."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}
