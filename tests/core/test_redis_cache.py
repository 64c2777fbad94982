"""The site's Redis cache (apps.core.cache) reads a value another release pickled as a miss."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache

from apps.core.cache import ArchipelRedisCache

# The Redis server CI starts on 127.0.0.1; a database the application's settings do not use.
LOCATION = "redis://127.0.0.1:6379/14"
# A pickle naming a class this code does not have, as a value of another release would.
FROM_ANOTHER_RELEASE = b"capps.core.models\nGoneQuerySet\n."


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"test-{secrets.token_hex(8)}"
    yield name
    client = _client(ArchipelRedisCache(LOCATION, {"KEY_PREFIX": name}))
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


def _client(backend: RedisCache) -> Any:
    """The ``redis.Redis`` client under Django's cache (private, not in the type stubs)."""
    return backend._cache.get_client(write=True)  # type: ignore[attr-defined]


def _write_raw(backend: RedisCache, key: str, data: bytes) -> None:
    _client(backend).set(backend.make_and_validate_key(key), data)


def test_a_value_another_release_pickled_is_a_miss(prefix: str) -> None:
    site = ArchipelRedisCache(LOCATION, {"KEY_PREFIX": prefix})
    site.set("blocks", {"results": "<ul></ul>"})
    site.set("count", 41)
    site.incr("count")
    _write_raw(site, "stale", FROM_ANOTHER_RELEASE)
    _write_raw(site, "torn", b"\x80\x05not a pickle")

    assert site.get("blocks") == {"results": "<ul></ul>"}
    assert site.get("count") == 42
    assert site.get("stale") is None and site.get("torn") is None
    assert site.get_many(["blocks", "stale"]) == {"blocks": {"results": "<ul></ul>"}, "stale": None}
    site.set("stale", "fresh")
    assert site.get("stale") == "fresh"


def test_django_s_own_serializer_raises_on_it(prefix: str) -> None:
    """Why the site's cache has its own: Django's would answer every such read with a 500."""
    plain = RedisCache(LOCATION, {"KEY_PREFIX": prefix})
    _write_raw(plain, "stale", FROM_ANOTHER_RELEASE)
    with pytest.raises(AttributeError):
        plain.get("stale")
