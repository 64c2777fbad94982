"""Cached HTML fragments of the public proposals pages (Redis in production, LocMem in tests).

Whole pages cannot be cached: ``base.html`` carries the visitor's CSRF token. The expensive
parts that are the same for every visitor are cached instead:

- the results block of the list (count, cards, pagination), keyed by process, language,
  allowlisted filters and page;
- the comment threads of a proposal page, keyed by proposal, language, page and variant
  (anonymous visitor, or a resident who may or may not reply).

Each key carries a version number, per process for the list and per proposal for the
comments, which the services bump when what the fragment shows changes (see
:func:`bump_list` and :func:`bump_comments`), so creations, edits, withdrawals, answers
and moderation show at once. After the commit, the most visited of the changed fragments
are rendered again at once (warm), rather than by the first visitors. Supports and comment
counts on the list cards, and author names after a renaming, may lag by at most
:data:`FRAGMENT_TTL`; an account deletion shows at once (``personal_data.anonymise`` and
discussion's ``author_erased``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# Bounded staleness of what the versions do not track: supports and comment counts on the
# list cards, author names. Short enough for a participation platform, long enough that a
# busy list is rendered once per minute rather than once per visit.
FRAGMENT_TTL = 60
# Stand-in for the CSRF token in cached fragments; each response replaces it with its own
# token, so no token is ever stored in the cache. The stand-in is keyed by the secret key
# and the fragment: a fixed string would let anyone write it in a comment and have every
# viewer's own token printed in its place.
CSRF_PLACEHOLDER_PREFIX = "__archipel_csrf_"


def csrf_placeholder(fragment_key: str) -> str:
    digest = salted_hmac("proposals.fragments.csrf", fragment_key, algorithm="sha256").hexdigest()
    return f"{CSRF_PLACEHOLDER_PREFIX}{digest[:32]}__"


_PREFIX = "proposals:fragment"


def _version_key(kind: str, pk: int) -> str:
    return f"{_PREFIX}:version:{kind}:{pk}"


def _fresh_version() -> int:
    # Time-based: when a version key is evicted, the new one never meets old fragments.
    return time.time_ns() // 1000


def version(kind: str, pk: int) -> int:
    key = _version_key(kind, pk)
    current = cache.get(key)
    if current is None:
        cache.add(key, _fresh_version(), timeout=None)
        current = cache.get(key) or 0
    return int(current)


def version_and_many(kind: str, pk: int, keys: list[str]) -> tuple[int, dict[str, object]]:
    """The version of ``kind``/``pk`` and the values of ``keys``, in one cache round trip.

    For fragments stored under a key without the version (``version_number=0``), with the
    version they were rendered for (:func:`current`, :func:`stamped`): the key does not have to
    wait for the version, so both are read at once. A fragment of an older version is a miss,
    as under a versioned key, and is overwritten by the new rendering.
    """
    version_key = _version_key(kind, pk)
    found = cache.get_many([version_key, *keys])
    number = found.pop(version_key, None)
    return (version(kind, pk) if number is None else int(cast(int, number))), found


def current(found: dict[str, object], fragment_key: str, version_number: int) -> object | None:
    """The value stored by :func:`stamped` under ``fragment_key`` if made for this version."""
    entry = found.get(fragment_key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version_number:
        return cast(object, entry[1])
    return None


def stamped(version_number: int, value: object) -> tuple[int, object]:
    """What to store for :func:`current`: the value with the version it was made for."""
    return (version_number, value)


def _bump_now(kind: str, pk: int) -> None:
    key = _version_key(kind, pk)
    try:
        cache.incr(key)
    except ValueError:  # missing key: any fresh value invalidates the old fragments
        cache.set(key, _fresh_version(), timeout=None)


def _bump(kind: str, pk: int, warm: Callable[[], None]) -> None:
    """Invalidate now (this request and tests see the change) and again after the commit,
    so a concurrent request that rendered the data of before the commit cannot keep its
    fragment under the new version; then render the most visited fragments again (``warm``),
    so the first visitors after a write do not all pay for the rendering."""
    _bump_now(kind, pk)

    def after_commit() -> None:
        _bump_now(kind, pk)
        _warm(warm)

    transaction.on_commit(after_commit)


def _warm(render: Callable[[], None]) -> None:
    # Best effort: the write is committed and the version bumped, so a failure here only
    # leaves the fragment to the next visitor.
    try:
        with translation.override(settings.LANGUAGE_CODE):
            render()
    except Exception:  # never fail a committed write over a cache refill
        logger.exception("proposals: warming the fragments after a write failed")


def bump_list(process_id: int, proposal_id: int | None = None) -> None:
    """A proposal of the process was created, edited, withdrawn or changed status.

    After the commit, the first page of the list without filters and, with ``proposal_id``,
    the top of that proposal's page are rendered again (in the site's language).
    """

    def warm() -> None:
        from apps.proposals import views  # the views render the fragments

        views.warm_list(process_id)
        if proposal_id is not None:
            views.warm_detail(proposal_id)

    _bump("list", process_id, warm)


def bump_comments(proposal_id: int) -> None:
    """A comment of the proposal was created, hidden or shown again; after the commit the
    first page of its threads, as anonymous visitors see it, is rendered again."""

    def warm() -> None:
        from apps.proposals import views

        views.warm_comments(proposal_id)

    _bump("comments", proposal_id, warm)


def key(kind: str, pk: int, *parts: object, version_number: int | None = None) -> str:
    """Cache key of a fragment: readable head, hashed tail (parameters may be long).

    ``version_number``: :func:`version` when the caller already has it (one cache read less).
    """
    raw = "|".join(str(part) for part in (get_language(), *parts))
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    number = version(kind, pk) if version_number is None else version_number
    return f"{_PREFIX}:{kind}:{pk}:{number}:{digest}"


def get_many(keys: list[str]) -> dict[str, object]:
    """Several fragments in one cache round trip (pass the result as ``found`` below)."""
    return cache.get_many(keys)


def cached(
    fragment_key: str,
    render: Callable[[], str],
    found: dict[str, object] | None = None,
    writes: dict[str, object] | None = None,
) -> SafeString:
    """The fragment from the cache, or rendered (by a template: already escaped) and stored.

    ``found``: the result of :func:`get_many` when the caller read several keys at once;
    ``writes``: where to put a rendered fragment for the caller's :func:`store_many`, instead
    of a cache round trip of its own.
    """
    html = found.get(fragment_key) if found is not None else cache.get(fragment_key)
    if html is None:
        html = render()
        if writes is not None:
            writes[fragment_key] = str(html)
        else:
            cache.set(fragment_key, str(html), FRAGMENT_TTL)
    return mark_safe(html)


T = TypeVar("T")


def cached_value(fragment_key: str, compute: Callable[[], T], found: dict[str, object] | None = None) -> T:
    """Like :func:`cached`, for a picklable value."""
    value = found.get(fragment_key) if found is not None else cache.get(fragment_key)
    if value is None:
        value = compute()
        cache.set(fragment_key, value, FRAGMENT_TTL)
    return cast(T, value)


def cached_value_or_none(fragment_key: str) -> object | None:
    """The stored value, or None on a miss (then the caller computes it and calls :func:`store`)."""
    value: object | None = cache.get(fragment_key)
    return value


def store(fragment_key: str, value: object) -> None:
    cache.set(fragment_key, value, FRAGMENT_TTL)


def forget(keys: list[str]) -> None:
    """Drop these fragments (one cache round trip)."""
    if keys:
        cache.delete_many(keys)


def store_many(values: dict[str, object]) -> None:
    """Several fragments in one cache round trip."""
    if values:
        cache.set_many(values, FRAGMENT_TTL)
