"""Moving the test database along the migration graph, for the tests of data migrations."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def latest() -> list[tuple[str, str]]:
    """Every app's last migration."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets: list[tuple[str, str | None]] | None = None) -> Any:
    """Migrate to ``targets`` (every app's last migration when None; ``(app, None)`` unapplies
    the whole app) and return the historical models at that state."""
    executor = MigrationExecutor(connection)
    targets = targets if targets is not None else latest()
    executor.migrate(targets)
    executor.loader.build_graph()  # the graph now knows what was applied
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps
