"""Rows built once and shared by many tests, each test rolled back on top of them.

Building a fixture world or the demo city costs about a second or more; building it for each of
2,000 matrix cases cost most of the suite's time. Instead a module-scoped fixture opens an atomic
block that stays open while the module's tests run, builds the rows inside it, and rolls the whole
block back at the end of the module. pytest-django's ``db`` fixture (Django's ``TestCase``) then
opens its own atomic blocks, which become savepoints inside the shared block: each test sees the
shared rows, its writes are rolled back with its savepoint, and no test sees another's writes.

Only tests that use pytest-django's ``db`` (not ``transactional_db``/``live_server``) can share rows
this way: a transactional test flushes the database and its other threads cannot see rows that
were never committed. (The browser tests share rows all the same: their live server answers on
the test's own connection, see :mod:`tests.browser.shared_server`.) The scope is the test module,
never the session, so that the block is closed before a module of transactional tests runs on the
same worker.

Model instances kept in Python must not leak from one test to the next either (a test may change
an attribute, ``force_login`` updates ``last_login``): :func:`fresh_copy` gives each test a deep copy,
as Django does for ``setUpTestData``.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction
from django.test import override_settings

T = TypeVar("T")


@contextmanager
def shared_transaction(django_db_blocker: Any) -> Iterator[None]:
    """An atomic block on the default database, open until the ``with`` ends, then rolled back.

    Database access stays blocked outside the tests (as pytest-django wants): wrap the building
    itself in ``django_db_blocker.unblock()``."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@contextmanager
def built_once(django_db_blocker: Any, build: Callable[[], T], *, media: Path | None = None) -> Iterator[T]:
    """Build rows with ``build()`` inside a shared transaction and yield what it returned.

    With ``media``, files saved while building land in that folder (each test then copies it into
    its own media root with :func:`copy_media`)."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            if media is None:
                built = build()
            else:
                with override_settings(MEDIA_ROOT=str(media)):
                    built = build()
        yield built


def fresh_copy(value: T) -> T:
    """A deep copy of shared model instances, so that what a test changes in memory stays there."""
    return copy.deepcopy(value)


def copy_media(source: Path, target: Path) -> None:
    """Give a test its own copy of the shared files (uploads of one test never reach another)."""
    if source.exists():
        shutil.copytree(source, target, dirs_exist_ok=True)
