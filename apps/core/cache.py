"""Django's Redis cache with one ``redis.Redis`` client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every cache
operation, and each one fills a table of about 170 response callbacks: ≈ 0.1–0.2 ms of CPU per
cache read or write, several per page (fragments, versions, session, rate limits). The client is
a thin, thread-safe front of its connection pool (each command borrows a connection), so one
per pool is enough. Django's cache objects are already per thread.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class ReusedClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
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
    @cached_property
    def _cache(self) -> ReusedClient:
        return ReusedClient(self._servers, **self._options)  # type: ignore[attr-defined]
