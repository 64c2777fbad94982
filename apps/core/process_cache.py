"""A process with its territory (and the territory's ancestors) and its phases, cached.

Every public page of a module starts by loading its process: two queries (the process joined
to its territory, then its phases) and their model instances, about 40 % of a cached proposals
page. They change only when the back office (or the admin, or a data import through the ORM)
saves or deletes a process, one of its phases or a territory, so the whole set is kept in the
cache under one **version**, bumped by the ``post_save``, ``post_delete`` and ``m2m_changed``
signals of those models — whoever writes, whichever service. The bump happens at once (the
request that wrote sees its change) and again after the commit, so that a request which
loaded the rows of before the commit cannot keep them under the new version.

Writes through ``QuerySet.update()`` and ``bulk_create``, which send no per-row signal, bump it
too (their querysets send ``rows_written``); raw SQL would have to call :func:`bump` itself, and
the rows live at most :data:`TTL` in any case. Phase dates are data, not a result:
what a phase allows is still decided on each request from the current time.

Each request gets its own instances (unpickled from the stored bytes): nothing is shared
between threads, and a view may set attributes on its process without touching the cache.
A small per-process memo of the bytes, keyed by the version read from the cache on each
request, saves the second cache read; the version read is what makes an edit in one worker
show at once in all the others.

Old and new workers share the cache during a rolling deploy: bytes this code cannot unpickle
(a class another release names) count as a miss, and the keys change when a release's pickles
would break the release before (:func:`cache_key`).
"""

from __future__ import annotations

import pickle
import time
from typing import Any

from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.core.cache import unpickled_or_none
from apps.core.models import Phase, Process, Territory, rows_written

VERSION_KEY = "core:processes:version"
# The rows themselves expire after this, whatever the version: a bound on what a write that
# bypassed the signals can leave behind.
TTL = 300
_MEMO_LIMIT = 512
_memo: dict[tuple[str, int], bytes] = {}  # (lookup, version) -> pickled process


def _fresh_version() -> int:
    # Time-based: a version key lost by an eviction never comes back to a number already used.
    return time.time_ns() // 1000


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        current = cache.get(VERSION_KEY) or 0
    return int(current)


def _bump_now() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing key: any fresh value leaves the old rows behind
        cache.set(VERSION_KEY, _fresh_version(), timeout=None)


def bump() -> None:
    """A process, a phase or a territory changed: every cached process is stale."""
    _bump_now()
    transaction.on_commit(_bump_now)


_TERRITORIES = ("territory", "territory__parent", "territory__parent__parent")


def _load(**lookup: Any) -> Process | None:
    return (
        Process.objects.select_related("territory__parent__parent")
        # Outlines (GeoJSON) and presentations are big and only the territory pages and maps
        # read them (loaded on access): the pickled process stays small to read on each request.
        .defer(*(f"{path}__{name}" for path in _TERRITORIES for name in ("boundary", "description")))
        .prefetch_related("phases")
        .filter(**lookup)
        .first()
    )


def cache_key(number: int, name: str, value: str) -> str:
    # "v2": from the release whose phases' queryset class is PhaseQuerySet, which the pickles
    # name and the release before cannot import; both releases share the cache while a rolling
    # deploy replaces the workers, so their entries must not share keys.
    return f"core:process:v2:{number}:{name}:{value}"


def _unpickled(data: bytes) -> Process | None:
    """The process pickled in ``data``, or None when this code cannot read it (bytes written by
    another release of the code: a class renamed or moved)."""
    process = unpickled_or_none(data)
    return process if isinstance(process, Process) else None


def _remember(memo_key: tuple[str, int], data: bytes) -> None:
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[memo_key] = data


def _cached(name: str, value: str) -> Process | None:
    number = version()
    memo_key = (f"{name}:{value}", number)
    data = _memo.get(memo_key)
    if data is not None:
        return _unpickled(data)  # bytes this process pickled: always readable
    key = cache_key(number, name, value)
    stored = cache.get(key)
    if isinstance(stored, bytes):
        process = _unpickled(stored)
        if process is not None:
            _remember(memo_key, stored)
            return process
    process = _load(**{name: value})
    if process is None:
        return None  # not cached: a process created later must show at once
    data = pickle.dumps(process, protocol=pickle.HIGHEST_PROTOCOL)
    cache.set(key, data, TTL)
    _remember(memo_key, data)
    return process


def process_by_slug(slug: str) -> Process | None:
    """The process with ``territory`` (and two levels of its parents) and its phases prefetched,
    or None. Whether the visitor may see it is the caller's question (``can_view_process``)."""
    return _cached("slug", slug)


def process_by_pk(pk: int) -> Process | None:
    """Like :func:`process_by_slug`, by primary key."""
    return _cached("pk", str(int(pk)))


def _changed(**_kwargs: Any) -> None:
    bump()


def _clear(**_kwargs: Any) -> None:
    _memo.clear()


for _model in (Process, Phase, Territory):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"core.process_cache.save.{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"core.process_cache.delete.{_model.__name__}")
    rows_written.connect(_changed, sender=_model, dispatch_uid=f"core.process_cache.rows.{_model.__name__}")
m2m_changed.connect(_changed, sender=Process.themes.through, dispatch_uid="core.process_cache.themes")
setting_changed.connect(_clear, dispatch_uid="core.process_cache.clear")
