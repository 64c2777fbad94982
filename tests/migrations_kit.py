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
    executor.migrate(targets)
    executor.loader.build_graph()  # the graph now knows what was applied
    return executor.loader.project_state([(app, name) for app, name in targets if name is not None]).apps
