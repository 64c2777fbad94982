"""Rate limits: django-ratelimit's decorator, typed, and limits that count only what succeeded.

django-ratelimit's decorator counts every POST, so a person whose form comes back with an
error (title too short, image refused) uses up their quota while fixing it. For limits on
creations, the view asks :func:`check_successes` before doing anything and calls
:func:`count_success` once the thing is created.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit as _ratelimit
from django_ratelimit.exceptions import Ratelimited

KEY = "user_or_ip"

View = TypeVar("View", bound=Callable[..., Any])


def ratelimit(
    *,
    key: str | Callable[[str, HttpRequest], str],
    rate: str,
    method: str | list[str],
    block: bool = True,
    group: str | None = None,
) -> Callable[[View], View]:
    """django-ratelimit's decorator, unchanged (same arguments, same default group: the view's
    dotted name), with a type: the library has none, and an untyped decorator would make mypy
    stop checking the view it wraps."""
    return cast("Callable[[View], View]", _ratelimit(group=group, key=key, rate=rate, method=method, block=block))


def check_successes(request: HttpRequest, *, group: str, rate: str) -> None:
    """Raise :class:`Ratelimited` (answered by the 429 page) when ``rate`` successes are
    already counted for this person in the current window."""
    usage = get_usage(request, group=group, key=KEY, rate=rate, increment=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        # The 429 page says when to come back.
        request.ratelimit_retry_after = max(int(usage["time_left"]), 0)  # type: ignore[attr-defined]
        raise Ratelimited


def count_success(request: HttpRequest, *, group: str, rate: str) -> None:
    get_usage(request, group=group, key=KEY, rate=rate, increment=True)
