"""Fixed SQL for the hottest requests: prepared statements and rows built into model instances.

Django's PostgreSQL backend binds parameters on the client (``ClientCursor``), so PostgreSQL
parses and plans every statement it receives, even one a worker sends a thousand times a
minute. :func:`prepared_cursor` gives a cursor that binds on the server and **prepares** each
statement on its connection the first time it runs it (psycopg keeps them per connection, at
most ``prepared_max``): the next executions send only the parameters. It goes through Django's
cursor wrapper, so the statements are counted, logged and wrapped as any other
(``CaptureQueriesContext``, ``execute_wrappers``, database errors).

Only statements written for it belong there: fixed text (built once), every parameter in a
place where PostgreSQL knows its type (a comparison with a column, an explicit cast), never
``SELECT *``. Other databases get their ordinary cursor.

:func:`columns` and :func:`build` read rows into model instances as the ORM would
(``Model.from_db``, with the field converters), for statements that skip the ORM's compiler;
a model with plain fields and no ``pre_init``/``post_init`` receiver is filled in directly
(the same instance, without ``__init__``'s per-field loop).

:func:`compiled` is the other way to a fixed statement: the ORM writes the SQL of a query once
per *shape* (which filters, which sort), with the varying values found back among its
parameters, and :func:`compiled_rows` runs it prepared with each request's values. The query
stays written once, with the ORM; only its compilation (about 1,000–2,000 Python calls) is
saved.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar, cast

from django.db import connections, models, router
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init

M = TypeVar("M", bound=models.Model)


@functools.cache
def _prepared_cursor_class() -> type[Any]:
    from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

    class PreparedCursor(ServerBindingCursor):  # type: ignore[misc]
        """Binds on the server and prepares every statement at its first execution."""

        def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: Any = None) -> Any:
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparedCursor


@contextmanager
def prepared_cursor(alias: str) -> Iterator[CursorWrapper]:
    """A cursor of the connection ``alias`` whose statements are prepared on the server
    (PostgreSQL; any other database: its ordinary cursor)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    # What ``connection.cursor()`` does, with another psycopg cursor class.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = _prepared_cursor_class()(connection.connection)
        _register_timezone(connection, raw)
        cursor = connection._prepare_cursor(raw)  # type: ignore[attr-defined]
    with cursor:
        yield cursor


def _register_timezone(connection: Any, cursor: Any) -> None:
    # As Django's ``create_cursor``: the cursor's timezone only if the connection disagrees.
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID  # type: ignore[attr-defined]
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    if connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).timezone != connection.timezone:
        register_tzloader(connection.timezone, cursor)


def columns(model: type[models.Model], alias: str, skipped: tuple[str, ...] = ()) -> tuple[list[str], str]:
    """The attribute names of ``model``'s concrete fields (but ``skipped``) and their quoted
    ``alias.column`` list."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if f.name not in skipped]
    return [f.attname for f in fields], ", ".join(f"{alias}.{quote(f.column)}" for f in fields)


@functools.cache
def _converters(
    model: type[models.Model], db: str, skipped: tuple[str, ...]
) -> tuple[tuple[int, tuple[Any, ...], Any], ...]:
    """What the ORM's compiler applies to each column read, by position: on SQLite a datetime
    comes back naive and a boolean as an integer until converted (PostgreSQL needs almost none)."""
    connection = connections[db]
    # Any: django-stubs does not declare Field.get_db_converters.
    fields: list[Any] = [f for f in model._meta.concrete_fields if f.name not in skipped]
    found = []
    for index, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        converters = (*connection.ops.get_db_converters(column), *field.get_db_converters(connection))
        if converters:
            found.append((index, converters, column))
    return tuple(found)


def build(
    model: type[M], names: list[str], values: tuple[Any, ...] | list[Any], db: str, skipped: tuple[str, ...] = ()
) -> M:
    """The instance of ``model`` for one row read by :func:`columns` (same ``skipped``)."""
    converters = _converters(model, db, skipped)
    if converters:
        values = list(values)
        connection = connections[db]
        for index, functions, column in converters:
            for convert in functions:
                values[index] = convert(values[index], column, connection)
    if not _plain_fields(model, tuple(names)) or _init_listened(model):
        return model.from_db(db, names, values)
    # What ``from_db`` ends with for such a model (``Model.__init__`` assigning each value,
    # then the state of a loaded row), without the per-field loop of ``__init__``: an eighth
    # of the ballot POST's CPU went into building its dozen instances (issue 15).
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding = False
    state.db = db
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


@functools.cache
def _plain_fields(model: type[models.Model], names: tuple[str, ...]) -> bool:
    """Whether writing ``names`` into a new instance's ``__dict__`` is what ``Model.__init__``
    does: the model keeps Django's ``__init__`` and ``from_db``, and no attribute has a setter
    of its own but a foreign key's id (its setter only forgets a cached related object, which
    a new instance has none of). A file, a geometry or a custom descriptor takes ``from_db``."""
    if model.__init__ is not models.Model.__init__:
        return False
    if getattr(model.from_db, "__func__", None) is not getattr(models.Model.from_db, "__func__", None):
        return False
    for name in names:
        attribute = getattr(model, name, None)
        if hasattr(attribute, "__set__") and type(attribute) is not ForeignKeyDeferredAttribute:
            return False
    return True


def _init_listened(model: type[models.Model]) -> bool:
    # Checked at each build: a receiver may be connected at any time (tests, apps).
    return pre_init.has_listeners(model) or post_init.has_listeners(model)


class Part(NamedTuple):
    """One model's columns in a row of a fixed statement: ``names`` from :func:`columns`,
    with the same ``skipped``."""

    model: type[models.Model]
    names: list[str]
    skipped: tuple[str, ...] = ()


def _fetch_one(db: str, statement: str, params: list[Any]) -> tuple[Any, ...] | None:
    with prepared_cursor(db) as cursor:
        cursor.execute(statement, params)
        row: tuple[Any, ...] | None = cursor.fetchone()
    return row


def _cut(row: tuple[Any, ...], parts: Sequence[Part], db: str) -> list[Any]:
    """An instance per part, side by side in ``row``; None for a part that a ``LEFT JOIN``
    left all NULL (its primary key, the first column, is NULL)."""
    instances: list[Any] = []
    start = 0
    for model, names, skipped in parts:
        values = row[start : start + len(names)]
        start += len(names)
        instances.append(None if values[0] is None else build(model, names, values, db, skipped))
    return instances


def fetch_row(parts: Sequence[Part], statement: str, params: list[Any]) -> list[Any] | None:
    """The instances of several models in the one row of a prepared ``statement`` (a proposal
    and its territory): one per part, in order, None for a part a ``LEFT JOIN`` left all
    NULL; or None without a row."""
    db = router.db_for_read(parts[0].model)
    row = _fetch_one(db, statement, params)
    return None if row is None else _cut(row, parts, db)


def fetch_rows(parts: Sequence[Part], statement: str, params: list[Any]) -> list[list[Any]]:
    """:func:`fetch_row` for every row of a prepared ``statement`` (comments and their authors)."""
    db = router.db_for_read(parts[0].model)
    with prepared_cursor(db) as cursor:
        cursor.execute(statement, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return [_cut(row, parts, db) for row in rows]


def fetch_instances(
    model: type[M], names: list[str], statement: str, params: list[Any], *, skipped: tuple[str, ...] = ()
) -> list[M] | None:
    """The instances of ``model`` in the one row of a prepared ``statement``, or None without a row.

    The row holds the columns of :func:`columns` (same ``skipped``) once per instance, side by
    side (a model joined to itself: a territory and its parents); a group that a ``LEFT JOIN``
    left all NULL gives no instance.
    """
    db = router.db_for_read(model)
    row = _fetch_one(db, statement, params)
    if row is None:
        return None
    return build_side_by_side(model, names, row, db, skipped)


def build_side_by_side(
    model: type[M], names: list[str], row: tuple[Any, ...], db: str, skipped: tuple[str, ...] = ()
) -> list[M]:
    """The instances of ``model`` whose columns (of :func:`columns`, same ``skipped``) sit side
    by side in ``row``; a group that a ``LEFT JOIN`` left all NULL gives no instance."""
    parts = [Part(model, names, skipped)] * (len(row) // len(names))
    return [instance for instance in _cut(row, parts, db) if instance is not None]


def fetch_instance(
    model: type[M], names: list[str], statement: str, params: list[Any], *, skipped: tuple[str, ...] = ()
) -> M | None:
    """The instance of ``model`` read by a prepared ``statement`` (one row of :func:`columns`), or None."""
    found = fetch_instances(model, names, statement, params, skipped=skipped)
    return found[0] if found else None


def _equal_clause(model: type[models.Model], names: tuple[str, ...]) -> tuple[str, str]:
    """The quoted table of ``model`` and ``col = %s AND …`` for its fields ``names``."""
    quote = connections[router.db_for_read(model)].ops.quote_name
    fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]
    where = " AND ".join(f"{quote(field.column)} = %s" for field in fields)
    return quote(model._meta.db_table), where


@functools.cache
def _exists_sql(model: type[models.Model], names: tuple[str, ...]) -> str:
    table, where = _equal_clause(model, names)
    return f"SELECT 1 FROM {table} WHERE {where} LIMIT 1"  # noqa: S608 (names from the model)


def exists(model: type[models.Model], **equal: Any) -> bool:
    """Whether a row of ``model`` has these values (field name = value or primary key): the
    ORM's ``filter(...).exists()`` for plain equalities, without compiling a query each time."""
    names = tuple(sorted(equal))
    values = [value.pk if isinstance(value, models.Model) else value for value in (equal[n] for n in names)]
    with prepared_cursor(router.db_for_read(model)) as cursor:
        cursor.execute(_exists_sql(model, names), values)
        return cursor.fetchone() is not None


@functools.cache
def _rows_sql(model: type[models.Model], names: tuple[str, ...]) -> tuple[list[str], str]:
    attnames, cols = columns(model, "r")
    table, where = _equal_clause(model, names)
    pk = connections[router.db_for_read(model)].ops.quote_name(model._meta.pk.column)
    return attnames, f"SELECT {cols} FROM {table} r WHERE {where} ORDER BY r.{pk}"  # noqa: S608 (model names)


def instances(model: type[M], **equal: Any) -> list[M]:
    """The instances of ``model`` whose fields have these values, by primary key (the ORM's
    ``filter(...)`` for plain equalities, without compiling a query each time)."""
    names = tuple(sorted(equal))
    values = [value.pk if isinstance(value, models.Model) else value for value in (equal[n] for n in names)]
    attnames, statement = _rows_sql(model, names)
    db = router.db_for_read(model)
    with prepared_cursor(db) as cursor:
        cursor.execute(statement, values)
        return [build(model, attnames, row, db) for row in cursor.fetchall()]


# --- ORM queries compiled once per shape ----------------------------------------------------

_MARK = "\x00sql-bound-"
_INT_MARK_BASE = -(2**62)  # far from any id, count or constant a query holds


def _marker(index: int, value: Any) -> Any:
    """A stand-in for ``value`` that the compiled SQL's parameters give back unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"only str and int values can be bound, not {type(value).__name__}")
    return _INT_MARK_BASE - index if isinstance(value, int) else f"{_MARK}{index}\x00"


@dataclass(frozen=True)
class Compiled:
    """The SQL of an ORM query whose varying values are named: ``slots`` says, for each
    parameter, the name of the value bound there, or None for a constant of the query
    (``constants``, same positions). ``converters``: what the ORM applies to each column read."""

    db: str
    statement: str
    slots: tuple[str | None, ...]
    constants: tuple[Any, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]

    def params(self, values: Mapping[str, Any]) -> list[Any]:
        return [
            constant if name is None else values[name]
            for name, constant in zip(self.slots, self.constants, strict=True)
        ]


_compiled: dict[Hashable, Compiled] = {}
_COMPILED_MAX = 512  # shapes are few (filters × sorts); a bound in case a caller's key is not


def compiled(
    key: Hashable,
    build: Callable[[Mapping[str, Any]], QuerySet[Any]],
    values: Mapping[str, Any],
    *,
    remember: bool = True,
) -> Compiled:
    """The SQL of ``build(values)``, compiled by the ORM once per ``key`` for all values.

    ``key`` must hold everything ``build`` decides on besides ``values``: the query is built
    once with stand-ins for the values (str and int only), each found back among the compiled
    parameters, and the next calls bind theirs in the same places. A stand-in that the ORM
    transformed or wrote into the SQL text is an error, not a wrong query. ``remember``:
    False for a key made of free input (a search text), compiled for this call only.
    """
    found = _compiled.get(key)
    if found is not None:
        return found
    markers = {name: _marker(index, value) for index, (name, value) in enumerate(values.items())}
    by_marker = {marker: name for name, marker in markers.items()}
    queryset = build(markers)
    compiler = queryset.query.get_compiler(queryset.db)
    statement, params = compiler.as_sql()
    slots: list[str | None] = []
    for param in params:
        name = by_marker.get(param) if isinstance(param, int | str) and not isinstance(param, bool) else None
        if name is None and isinstance(param, str) and _MARK in param:
            raise ValueError(f"{key!r}: the ORM transformed a bound value ({param!r}); make it part of the key")
        slots.append(name)
    for marker in markers.values():
        if (str(abs(marker)) if isinstance(marker, int) else marker) in statement:
            raise ValueError(f"{key!r}: a bound value is written in the SQL text; make it part of the key")
    columns = [column for column, _sql, _alias in compiler.select]
    converters = tuple(
        (index, tuple(functions), expression)
        for index, (functions, expression) in compiler.get_converters(columns).items()
    )
    result = Compiled(queryset.db, statement, tuple(slots), tuple(params), converters)
    if remember:
        if len(_compiled) >= _COMPILED_MAX:
            _compiled.clear()
        _compiled[key] = result
    return result


def compiled_rows(
    query: Compiled, values: Mapping[str, Any], *, suffix: str = "", extra: Sequence[Any] = ()
) -> list[Any]:
    """The rows of a :func:`compiled` query for ``values`` (a prepared statement), converted as
    the ORM would; ``suffix`` and ``extra``: SQL appended to the statement and its parameters
    (``LIMIT %s OFFSET %s``)."""
    with prepared_cursor(query.db) as cursor:
        cursor.execute(query.statement + suffix, [*query.params(values), *extra])
        rows: list[Any] = cursor.fetchall()
    if query.converters:
        connection = connections[query.db]
        converted = []
        for row in rows:
            values_ = list(row)
            for index, functions, expression in query.converters:
                for convert in functions:
                    values_[index] = convert(values_[index], expression, connection)
            converted.append(tuple(values_))
        rows = converted
    return rows
