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
import dataclasses
import functools
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

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
            settle_constraints()
        yield built


def settle_constraints() -> None:
    """Check the deferred constraints of the rows built so far, in the shared block itself.

    Django's foreign keys are deferred checks, queued until the transaction ends. Each test's
    teardown checks constraints (``SET CONSTRAINTS ALL IMMEDIATE``) inside its savepoint, and
    rolling the savepoint back marks the checks fired there as pending again: every test re-checked
    every foreign key of the shared rows (11 ms of PostgreSQL per matrix case, a third of the
    database time of a case). Checked once here, outside any savepoint, they stay checked; a test's
    own rows are still checked at its teardown, and a bad shared row fails here, at build time."""
    connection = transaction.get_connection()
    connection.check_constraints()


def fresh_copy(value: T) -> T:
    """A deep copy of shared model instances, so that what a test changes in memory stays there.

    A (non-frozen) dataclass such as the fixture world is copied lazily: each attribute, and each
    value of a plain ``dict`` attribute (``world.extra``), is deep-copied the first time the test
    reads it, all with one ``deepcopy`` memo, so objects shared between attributes stay shared
    exactly as in a full copy. A test reads a handful of the world's hundreds of objects: copying
    them all cost a fifth of a matrix case."""
    if (
        not dataclasses.is_dataclass(value)
        or isinstance(value, type)
        or type(value).__setattr__ is not object.__setattr__
    ):
        return copy.deepcopy(value)
    memo: dict[int, Any] = {}
    lazy: Any = object.__new__(_lazy_class(type(value)))
    state = vars(value)
    vars(lazy).update({_SOURCE: value, _MEMO: memo})
    for name, item in state.items():
        if hasattr(type(value), name):  # a class-level default would hide the lazy lookup
            setattr(lazy, name, _copy_item(item, memo))
    return cast(T, lazy)


_SOURCE = "_fresh_copy_source"
_MEMO = "_fresh_copy_memo"


def _copy_item(item: Any, memo: dict[int, Any]) -> Any:
    if type(item) is dict:
        if id(item) in memo:
            return memo[id(item)]
        lazy = _LazyDict(item, memo)
        memo[id(item)] = lazy
        return lazy
    return copy.deepcopy(item, memo)


@functools.cache
def _lazy_class(cls: type) -> type:
    def __getattr__(self: Any, name: str) -> Any:
        own = object.__getattribute__(self, "__dict__")
        if _SOURCE not in own or name.startswith("__"):
            raise AttributeError(name)
        source = own[_SOURCE]
        if name not in vars(source):
            raise AttributeError(name)
        item = _copy_item(vars(source)[name], own[_MEMO])
        own[name] = item
        return item

    return type(
        cls.__name__,
        (cls,),
        {"__getattr__": __getattr__, "__module__": cls.__module__, "__qualname__": cls.__qualname__},
    )


class _LazyDict(dict[Any, Any]):
    """A dict whose values are deep-copied from ``source`` when first read by key; any other use
    (iteration, length, removal, comparison...) first copies every remaining value."""

    def __init__(self, source: dict[Any, Any], memo: dict[int, Any]) -> None:
        super().__init__()
        self._source: dict[Any, Any] | None = source
        self._memo = memo

    def __missing__(self, key: Any) -> Any:
        source = self._source
        if source is None or key not in source:
            raise KeyError(key)
        item = copy.deepcopy(source[key], self._memo)
        super().__setitem__(key, item)
        return item

    def _complete(self) -> None:
        source = self._source
        if source is not None:
            for key, item in source.items():
                if not super().__contains__(key):
                    super().__setitem__(key, copy.deepcopy(item, self._memo))
            self._source = None

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or (self._source is not None and key in self._source)

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self:
            return self[key]
        return default

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        self._complete()
        return {key: copy.deepcopy(item, memo) for key, item in dict.items(self)}


def _completing(name: str) -> Callable[..., Any]:
    method = getattr(dict, name)

    def complete_first(self: _LazyDict, *args: Any, **kwargs: Any) -> Any:
        self._complete()
        return method(self, *args, **kwargs)

    complete_first.__name__ = name
    return complete_first


for _name in (
    "__iter__",
    "__len__",
    "__reversed__",
    "__eq__",
    "__ne__",
    "__or__",
    "__ior__",
    "__ror__",
    "__repr__",
    "__delitem__",
    "__reduce_ex__",
    "__deepcopy__",
    "copy",
    "keys",
    "values",
    "items",
    "pop",
    "popitem",
    "clear",
    "setdefault",
    "update",
):
    if hasattr(dict, _name):
        setattr(_LazyDict, _name, _completing(_name))


def copy_media(source: Path, target: Path) -> None:
    """Give a test its own copy of the shared files (uploads of one test never reach another)."""
    if source.exists():
        shutil.copytree(source, target, dirs_exist_ok=True)
