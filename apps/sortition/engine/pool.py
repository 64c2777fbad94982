"""Reading and validating the pool files (respondents CSV + categories CSV)."""

from __future__ import annotations

from apps.sortition.engine.model import Pool


def read_pool(
    people_csv: bytes | str,
    categories_csv: bytes | str,
    *,
    id_column: str | None = None,
    people_name: str = "respondents.csv",
    categories_name: str = "categories.csv",
) -> Pool:
    """Read the pool; ``bytes`` are file contents, ``str`` a path. Raises ``PoolError`` (French)."""
    raise NotImplementedError
