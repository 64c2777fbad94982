"""A cached process written by another release of the code is read again, not an error: during
a rolling deploy the old and the new workers share the cache."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache

from apps.core import process_cache
from apps.core.models import Process


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stored",
    [
        pytest.param(b"capps.core.models\nGoneQuerySet\n.", id="a class this release does not have"),
        pytest.param(b"\x80\x05not a pickle", id="bytes that are no pickle"),
    ],
)
def test_an_entry_this_release_cannot_read_is_loaded_again(
    process_in_phase: Callable[..., Process], stored: bytes
) -> None:
    process = process_in_phase("collect")
    key = process_cache.cache_key(process_cache.version(), "pk", str(process.pk))
    cache.set(key, stored)
    process_cache._memo.clear()

    found = process_cache.process_by_pk(process.pk)
    assert found is not None
    assert (found.pk, found.title, found.territory.name) == (process.pk, process.title, process.territory.name)
    assert [phase.kind for phase in found.phases.all()] == [phase.kind for phase in process.ordered_phases()]
    replaced = cache.get(key)
    assert isinstance(replaced, bytes) and replaced != stored, "the entry is written again, readable"
    process_cache._memo.clear()
    again = process_cache.process_by_pk(process.pk)
    assert again is not None and again.pk == process.pk
