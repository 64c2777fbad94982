"""Reads of the ballot path in plain SQL, built into model instances.

The ballot POST is the hottest request of voting day (bench/bench_voting.py). Compiling an
ORM query with joins and a prefetch costs more CPU than PostgreSQL spends answering it, so
the rows the ballot needs on every request (the budget with its process, city and phases;
the voter's home territory and the territories above it; their voter records in the budget)
are read here with fixed SQL built once from the models' metadata, and turned into the same
model instances the ORM would give (``Model.from_db``). Always read fresh: nothing cached.
"""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import connections, models, router

from apps.budgets.models import Budget, VoterRecord
from apps.core import sql
from apps.core.models import Phase, Process, Territory

if TYPE_CHECKING:
    from apps.accounts.models import User

M = TypeVar("M", bound=models.Model)

# Columns the ballot path never needs (a territory's outline and a process's texts can weigh
# kilobytes); read lazily, as deferred fields, if a page asks for them.
_SKIPPED: dict[type[models.Model], tuple[str, ...]] = {
    Territory: ("boundary",),
    Process: ("description", "description_html", "falc_summary"),
}


def _columns(model: type[models.Model], alias: str) -> tuple[list[str], str]:
    """The attribute names of ``model``'s concrete fields and their ``alias.column`` list."""
    return sql.columns(model, alias, _SKIPPED.get(model, ()))


def quoted_column(model: type[models.Model], name: str) -> str:
    """The quoted column of ``model``'s field ``name``, for SQL built from the models."""
    field = cast("models.Field[Any, Any]", model._meta.get_field(name))
    return str(connections[router.db_for_read(model)].ops.quote_name(field.column))


def _build(model: type[M], names: list[str], values: tuple[Any, ...] | list[Any], db: str) -> M:
    return sql.build(model, names, values, db, _SKIPPED.get(model, ()))


@functools.cache
def _budget_sql() -> tuple[list[str], list[str], list[str], str]:
    budget_names, budget_cols = _columns(Budget, "b")
    process_names, process_cols = _columns(Process, "p")
    territory_names, territory_cols = _columns(Territory, "t")
    quote = connections[router.db_for_read(Budget)].ops.quote_name
    statement = (
        f"SELECT {budget_cols}, {process_cols}, {territory_cols} "  # noqa: S608 (names from the models)
        f"FROM {quote(Budget._meta.db_table)} b "
        f"JOIN {quote(Process._meta.db_table)} p ON p.{quote('id')} = b.{quoted_column(Budget, 'process')} "
        f"JOIN {quote(Territory._meta.db_table)} t ON t.{quote('id')} = p.{quoted_column(Process, 'territory')} "
        f"WHERE p.{quoted_column(Process, 'slug')} = %s"
    )
    return budget_names, process_names, territory_names, statement


@functools.cache
def _phases_sql() -> tuple[list[str], str]:
    names, cols = _columns(Phase, "f")
    quote = connections[router.db_for_read(Phase)].ops.quote_name
    process = quoted_column(Phase, "process")
    return names, f"SELECT {cols} FROM {quote(Phase._meta.db_table)} f WHERE f.{process} = %s"  # noqa: S608


def budget_by_slug(slug: str) -> Budget | None:
    """The budget of the process ``slug``, with its process, the process's territory (no
    outline) and its phases in the prefetch cache (``process.phases.all()``): two statements."""
    db = router.db_for_read(Budget)
    budget_names, process_names, territory_names, budget_sql = _budget_sql()
    with sql.prepared_cursor(db) as cursor:
        cursor.execute(budget_sql, [slug])
        row = cursor.fetchone()
        if row is None:
            return None
        phase_names, phase_sql = _phases_sql()
        split = len(budget_names)
        budget = _build(Budget, budget_names, row[:split], db)
        process = _build(Process, process_names, row[split : split + len(process_names)], db)
        territory = _build(Territory, territory_names, row[split + len(process_names) :], db)
        cursor.execute(phase_sql, [process.pk])
        phases = [_build(Phase, phase_names, values, db) for values in cursor.fetchall()]
    process.territory = territory
    for phase in phases:
        phase.process = process
    prefetched = process.phases.all()
    prefetched._result_cache = phases
    prefetched._prefetch_done = True  # type: ignore[attr-defined]
    process._prefetched_objects_cache = {"phases": prefetched}  # type: ignore[attr-defined]
    budget.process = process
    return budget


@functools.cache
def _territory_chain_sql() -> tuple[list[str], str]:
    names, _cols = _columns(Territory, "x")
    quote = connections[router.db_for_read(Territory)].ops.quote_name
    table = quote(Territory._meta.db_table)
    parent = quoted_column(Territory, "parent")
    cols = ", ".join(_columns(Territory, alias)[1] for alias in ("t0", "t1", "t2"))
    statement = (
        f"SELECT {cols} FROM {table} t0 "  # noqa: S608 (names from the models)
        f"LEFT JOIN {table} t1 ON t1.{quote('id')} = t0.{parent} "
        f"LEFT JOIN {table} t2 ON t2.{quote('id')} = t1.{parent} "
        f"WHERE t0.{quote('id')} = %s"
    )
    return names, statement


def territory_with_ancestors(pk: int) -> Territory | None:
    """The territory ``pk`` with its parent and grandparent attached (micro-quartier,
    quartier, city; a deeper tree loads the rest lazily): one statement."""
    names, chain_sql = _territory_chain_sql()
    nodes = sql.fetch_instances(Territory, names, chain_sql, [pk], skipped=_SKIPPED[Territory])
    if not nodes:
        return None
    for child, parent in itertools.pairwise(nodes):
        child.parent = parent
    return nodes[0]


@functools.cache
def _voter_records_sql() -> str:
    quote = connections[router.db_for_read(VoterRecord)].ops.quote_name
    envelope, scope, territory, budget_col, user_col = (
        quoted_column(VoterRecord, name) for name in ("envelope", "scope", "territory", "budget", "user")
    )
    return (
        f"SELECT {envelope}, {scope}, {territory} FROM {quote(VoterRecord._meta.db_table)} "  # noqa: S608
        f"WHERE {budget_col} = %s AND {user_col} = %s"
    )


def voter_records(user: User, budget: Budget) -> list[tuple[int, str, int | None]]:
    """(envelope pk, scope, territory pk) of the person's voter records in ``budget``."""
    with sql.prepared_cursor(router.db_for_read(VoterRecord)) as cursor:
        cursor.execute(_voter_records_sql(), [budget.pk, user.pk or 0])
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
