"""Stable pseudonyms for open data: the same person gets the same opaque label across
exports, but the label cannot be turned back into an account without the secret key."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def pseudonym(kind: str, identifier: int | None) -> str:
    if identifier is None:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{identifier}".encode(), hashlib.sha256)
    return f"p-{digest.hexdigest()[:12]}"
