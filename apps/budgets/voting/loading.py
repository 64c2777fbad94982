"""Reads of the ballot path in plain SQL, built into model instances.

The ballot POST is the hottest request of voting day (bench/bench_voting.py). Compiling an
ORM query with joins and a prefetch costs more CPU than PostgreSQL spends answering it, so
the rows the ballot needs on every request (the budget with its process, city and phases;
the voter's home territory and the territories above it; their voter records in the budget)
are read here with fixed SQL built once from the models' metadata, and turned into the same
model instances the ORM would give (``Model.from_db``). Always read fresh: nothing cached.

On PostgreSQL the ballot pages read all of it in **one** prepared statement
(:func:`budget_for_voter`): each round trip costs the worker more CPU (Django's cursor
wrapper, psycopg's query conversion, the wait) than PostgreSQL spends on these small reads.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
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
def _budget_parts() -> tuple[list[str], list[str], list[str], str, str]:
    """Attribute names of the budget, process and city read together, their columns, and the
    joins they come from (``b``, ``p``, ``t``)."""
    budget_names, budget_cols = _columns(Budget, "b")
    process_names, process_cols = _columns(Process, "p")
    territory_names, territory_cols = _columns(Territory, "t")
    quote = connections[router.db_for_read(Budget)].ops.quote_name
    joins = (
        f"{quote(Budget._meta.db_table)} b "
        f"JOIN {quote(Process._meta.db_table)} p ON p.{quote('id')} = b.{quoted_column(Budget, 'process')} "
        f"JOIN {quote(Territory._meta.db_table)} t ON t.{quote('id')} = p.{quoted_column(Process, 'territory')}"
    )
    return budget_names, process_names, territory_names, f"{budget_cols}, {process_cols}, {territory_cols}", joins


@functools.cache
def _budget_sql() -> str:
    _b, _p, _t, cols, joins = _budget_parts()
    return f"SELECT {cols} FROM {joins} WHERE p.{quoted_column(Process, 'slug')} = %s"  # noqa: S608 (model names)


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
    budget_names, process_names, territory_names, _cols, _joins = _budget_parts()
    with sql.prepared_cursor(db) as cursor:
        cursor.execute(_budget_sql(), [slug])
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
    _attach(budget, process, territory, phases)
    return budget


def _attach(budget: Budget, process: Process, territory: Territory, phases: list[Phase]) -> None:
    """Link the instances read together as the ORM's ``select_related`` and ``prefetch_related``
    would (``process.phases.all()`` answers from the prefetch cache)."""
    # The rows were joined on these very ids (``p.territory_id = t.id``, ``f.process_id = p.id``),
    # so only the cache of each relation is filled: the descriptors' ``__set__`` would check the
    # types and the database router and rewrite the same ids, once per phase at every ballot.
    Process.territory.field.set_cached_value(process, territory)
    set_process = Phase.process.field.set_cached_value
    for phase in phases:
        set_process(phase, process)
    prefetched = process.phases.all()
    prefetched._result_cache = phases
    prefetched._prefetch_done = True  # type: ignore[attr-defined]
    process._prefetched_objects_cache = {"phases": prefetched}  # type: ignore[attr-defined]
    budget.process = process


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
    return _chain(nodes or [])


def _chain(nodes: list[Territory]) -> Territory | None:
    """The first of ``nodes`` (a territory, then the ones above it), each attached to the next."""
    for child, parent in itertools.pairwise(nodes):
        child.parent = parent
    return nodes[0] if nodes else None


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
    return _voter_records(budget.pk, user.pk or 0)


def _voter_records(budget_pk: int, user_pk: int) -> list[tuple[int, str, int | None]]:
    with sql.prepared_cursor(router.db_for_read(VoterRecord)) as cursor:
        cursor.execute(_voter_records_sql(), [budget_pk, user_pk])
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]


# --- the budget and the voter together (the ballot pages) -----------------------------------


@dataclass(frozen=True)
class VoterBudget:
    """What a ballot page reads at every request, fresh: the budget (as :func:`budget_by_slug`),
    the person's home territory with its parent and grandparent attached (as
    :func:`territory_with_ancestors`; None when not asked or not found), and their voter
    records in the budget (as :func:`voter_records`)."""

    budget: Budget
    home: Territory | None
    records: list[tuple[int, str, int | None]]


def _quoted_columns(model: type[models.Model], alias: str) -> list[str]:
    names, _cols = _columns(model, alias)
    return [f"{alias}.{quoted_column(model, name)}" for name in names]


@functools.cache
def _budget_for_voter_sql() -> str:
    """The budget statement of :func:`budget_for_voter`: the row of :func:`_budget_sql`, then
    each column of the phases as an array (one element per phase, all in one order), the home
    territory and two levels above it, and the voter records' columns as arrays. Parameters:
    home territory pk, person pk, process slug (a NULL pk joins nothing)."""
    _b, _p, _t, budget_cols, joins = _budget_parts()
    quote = connections[router.db_for_read(Budget)].ops.quote_name
    # No ORDER BY inside the aggregates: PostgreSQL 15 sorts the input of each ordered
    # aggregate on its own (one sort per phase column, a tenth of the statement's CPU); the
    # arrays of one aggregate pass list the phases in the same order, which the loader sorts.
    phase_arrays = ", ".join(f"array_agg({col})" for col in _quoted_columns(Phase, "f"))
    territories = quote(Territory._meta.db_table)
    parent = quoted_column(Territory, "parent")
    home_cols = ", ".join(_columns(Territory, alias)[1] for alias in ("h0", "h1", "h2"))
    # The three arrays of one aggregate pass list the records in the same order.
    record_arrays = ", ".join(
        f"array_agg(r.{quoted_column(VoterRecord, name)})" for name in ("envelope", "scope", "territory")
    )
    return (
        f"SELECT {budget_cols}, phases.*, {home_cols}, records.* FROM {joins} "  # noqa: S608 (names from the models)
        f"CROSS JOIN LATERAL (SELECT {phase_arrays} FROM {quote(Phase._meta.db_table)} f "
        f"WHERE f.{quoted_column(Phase, 'process')} = p.{quote('id')}) phases "
        f"LEFT JOIN {territories} h0 ON h0.{quote('id')} = %s "
        f"LEFT JOIN {territories} h1 ON h1.{quote('id')} = h0.{parent} "
        f"LEFT JOIN {territories} h2 ON h2.{quote('id')} = h1.{parent} "
        f"CROSS JOIN LATERAL (SELECT {record_arrays} FROM {quote(VoterRecord._meta.db_table)} r "
        f"WHERE r.{quoted_column(VoterRecord, 'budget')} = b.{quote('id')} "
        f"AND r.{quoted_column(VoterRecord, 'user')} = %s) records "
        f"WHERE p.{quoted_column(Process, 'slug')} = %s"
    )


def _phase_order(phase: Phase) -> tuple[Any, int]:
    return phase.starts_at, phase.id


def budget_for_voter(slug: str, *, user_pk: int | None, home_pk: int | None) -> VoterBudget | None:
    """The budget of the process ``slug`` with, for the person ``user_pk`` (None: anonymous),
    their home territory ``home_pk`` (None: not asked) and their voter records in it: one
    statement on PostgreSQL, the three reads above elsewhere. None: no such budget."""
    db = router.db_for_read(Budget)
    if connections[db].vendor != "postgresql":
        return _budget_for_voter_apart(slug, user_pk=user_pk, home_pk=home_pk)
    with sql.prepared_cursor(db) as cursor:
        cursor.execute(_budget_for_voter_sql(), [home_pk, user_pk, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    budget_names, process_names, territory_names, _cols, _joins = _budget_parts()
    phase_names, _phase_sql = _phases_sql()
    home_names, _chain_sql = _territory_chain_sql()
    widths = (len(budget_names), len(process_names), len(territory_names), len(phase_names), 3 * len(home_names))
    ends = list(itertools.accumulate(widths))
    budget = _build(Budget, budget_names, row[: ends[0]], db)
    process = _build(Process, process_names, row[ends[0] : ends[1]], db)
    territory = _build(Territory, territory_names, row[ends[1] : ends[2]], db)
    phase_columns = row[ends[2] : ends[3]]
    # No phase: every array is NULL.
    phases = (
        [_build(Phase, phase_names, values, db) for values in zip(*phase_columns, strict=True)]
        if phase_columns[0]
        else []
    )
    phases.sort(key=_phase_order)  # as the model orders them (process, starts_at, pk)
    home = _chain(sql.build_side_by_side(Territory, home_names, row[ends[3] : ends[4]], db, _SKIPPED[Territory]))
    envelopes, scopes, territories = row[ends[4] :]
    records = list(zip(envelopes, scopes, territories, strict=True)) if envelopes else []
    _attach(budget, process, territory, phases)
    return VoterBudget(budget=budget, home=home, records=records)


def _budget_for_voter_apart(slug: str, *, user_pk: int | None, home_pk: int | None) -> VoterBudget | None:
    budget = budget_by_slug(slug)
    if budget is None:
        return None
    home = territory_with_ancestors(home_pk) if home_pk is not None else None
    records = _voter_records(budget.pk, user_pk) if user_pk is not None else []
    return VoterBudget(budget=budget, home=home, records=records)
