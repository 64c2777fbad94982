"""Moving the test database along the migration graph, for the tests of data migrations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest() -> list[tuple[str, str]]:
    """Every app's last migration."""
    leaves: list[tuple[str, str]] = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return leaves


def migrate(targets: Sequence[tuple[str, str | None]] | None = None) -> Any:
    """Migrate to ``targets`` (every app's last migration when None; ``(app, None)`` unapplies
    the whole app) and return the historical models at that state."""
    executor = MigrationExecutor(connection)
    targets = list(targets) if targets is not None else list[tuple[str, str | None]](latest())
    plan = executor.migration_plan(targets)
    if plan and all(backwards for _migration, backwards in plan):
        _migrate_backwards(executor, plan)
    else:
        executor.migrate(targets, plan=plan)
    executor.loader.build_graph()  # the graph now knows what was applied
    return executor.loader.project_state([(app, name) for app, name in targets if name is not None]).apps


def _migrate_backwards(executor: MigrationExecutor, plan: list[Any]) -> None:
    """``executor.migrate`` for a backwards plan: Django's ``_migrate_all_backwards`` with the
    whole-project plan it walks reordered, and the states before each migration rendered only
    when that migration is unapplied.

    To unapply migrations Django walks the plan of every migration from an empty database and
    builds the state before each one to unapply. From the first of them on, the historical models
    are rendered, and each later migration of that walk (even of another app, not unapplied) is
    applied to them model by model: with a target early in the plan (``proposals.0006``) that was
    dozens of migrations re-rendering related models, 20 s of CPU for one trip back. The migrations
    that stay applied are put first here (they depend on none of those unapplied, so the order
    stays a valid one): they are walked without rendering, and the states before each migration
    to unapply hold exactly what the database holds then (Django's own order left out those that
    stay applied but come later in its plan).

    The walk over the migrations to unapply is done on unrendered states too: rendered, each of
    its operations re-rendered the models it touches and their relations (nearly every model,
    through the accounts' user), and unapplying the migration then did that same work again on
    the same state. Each state is rendered once, just before its migration is unapplied, which
    then re-renders as Django does."""
    leaving = {migration for migration, _backwards in plan}
    full_plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    staying = [step for step in full_plan if step[0] not in leaving]
    reordered = staying + [step for step in full_plan if step[0] in leaving]
    executor.recorder.ensure_schema()
    graph = executor.loader.graph
    applied = {graph.nodes[key] for key in executor.loader.applied_migrations if key in graph.nodes}
    state = executor._create_project_state()  # type: ignore[attr-defined]
    states = {}
    for migration, _backwards in reordered:
        if migration in leaving:
            states[migration] = state
            state = migration.mutate_state(state, preserve=True)
        elif migration in applied:
            migration.mutate_state(state, preserve=False)
    for migration, _backwards in plan:
        states[migration].apps  # noqa: B018  # rendered once; its operations then re-render as they go
        executor.unapply_migration(states[migration], migration)
    executor.check_replacements()
