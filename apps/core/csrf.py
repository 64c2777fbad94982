"""The page's masked CSRF token, as Django's ``get_token`` makes it, in a few Python calls;
and the site's CSRF middleware, which checks a posted form's token in a few calls too.

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

from django.http import HttpRequest, UnreadablePostError
from django.middleware import csrf
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

_CHARS = CSRF_ALLOWED_CHARS
_RADIX = len(_CHARS)  # 62
_SECRET = CSRF_SECRET_LENGTH  # 32: a masked token is the mask, then the shifted secret
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


def unmask(token: str) -> str:
    """The secret of a 64-character masked token, as Django's ``_unmask_cipher_token`` computes
    it (each character of the second half shifted back by the mask's, modulo 62), in one list
    comprehension instead of three generators (≈ 100 Python calls at every form POST); "" when
    a character is not one of ``CSRF_ALLOWED_CHARS`` (Django refuses such a token)."""
    index = _INDEX
    try:
        return "".join([_CHARS[index[t] - index[m]] for t, m in zip(token[_SECRET:], token[:_SECRET], strict=False)])
    except KeyError:
        return ""


class CsrfViewMiddleware(csrf.CsrfViewMiddleware):
    """Django's CSRF middleware, whose token check first tries the case of every form posted
    on the site: a masked 64-character ``csrfmiddlewaretoken`` in the body that unmasks to the
    cookie's secret. That request passes, as Django would let it pass; any other request (no
    cookie, a bad cookie, no field, the header, a token of another length, a character outside
    the alphabet, a token that does not match) is checked by Django's own ``_check_token``,
    which refuses it with its own reason. Origin and Referer checks are Django's, unchanged."""

    def _check_token(self, request: HttpRequest) -> None:
        if request.method == "POST":
            try:
                secret = self._get_secret(request)  # type: ignore[attr-defined]  # Django's (cookie or session)
                token = request.POST.get("csrfmiddlewaretoken", "")
            except (csrf.InvalidTokenFormat, UnreadablePostError):
                secret = None
            if (
                secret is not None
                and len(token) == csrf.CSRF_TOKEN_LENGTH
                and constant_time_compare(unmask(token), secret)
            ):
                return
        super()._check_token(request)  # type: ignore[misc]  # private: not in django-stubs
