"""Django's Redis cache with one ``redis.Redis`` client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every cache
operation, and each one fills a table of about 170 response callbacks: ≈ 0.1–0.2 ms of CPU per
cache read or write, several per page (fragments, versions, session, rate limits). The client is
a thin, thread-safe front of its connection pool (each command borrows a connection), so one
per pool is enough. Django's cache objects are already per thread.

Values are pickled by :class:`ReleaseTolerantSerializer`: during a rolling deploy the old and
the new workers share Redis, and a value one release pickled may name a class the other does
not have (a page's blocks, a queryset class). Django's serializer raises on it, a 500 on every
request reading that key until it expires; here it is a miss.
"""

from __future__ import annotations

import pickle
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer
from django.utils.functional import cached_property

# What unpickling raises on bytes another release of the code wrote (a class it names is gone,
# a format this code does not know) or on torn bytes.
UNREADABLE = (AttributeError, ImportError, IndexError, TypeError, ValueError, EOFError, pickle.UnpicklingError)


def unpickled_or_none(data: bytes) -> Any:
    """The object pickled in ``data``, or None when this code cannot read it."""
    try:
        return pickle.loads(data)  # noqa: S301  (bytes this site pickled, never a visitor's)
    except UNREADABLE:
        return None


class ReleaseTolerantSerializer(RedisSerializer):
    def loads(self, data: Any) -> Any:
        try:
            return super().loads(data)
        except UNREADABLE:
            return None  # written by another release of the code: read as a miss


class ReusedClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("serializer", ReleaseTolerantSerializer)
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Private attributes of Django's client (not in its type stubs): the pool of the chosen
        # server and the ``redis.Redis`` class.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ArchipelRedisCache(RedisCache):
    def validate_key(self, key: str) -> None:
        """No check: Django's warns about keys memcached would refuse (over 250 characters,
        spaces or control characters), which Redis stores as they are; it costs a generator
        and a regular expression on every key of every read."""

    @cached_property
    def _cache(self) -> ReusedClient:
        return ReusedClient(self._servers, **self._options)  # type: ignore[attr-defined]
