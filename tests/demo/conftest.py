"""The demo city, built once per worker for the whole ``tests/demo`` package.

Building the small city takes several seconds; every test of this package reads it, so it is built
in a shared transaction (:mod:`tests.shared_rows`) and each test runs in a savepoint on top of it,
rolled back afterwards. The package holds only tests of the demo: any other test module would see
the city's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django import DjangoDbBlocker, Settings

from tests.shared_rows import built_once, copy_media


def _build_demo() -> None:
    call_command("demo_city", size="small", seed=7)


@pytest.fixture(scope="package")
def _demo_city(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    media = tmp_path_factory.mktemp("demo-media")
    with built_once(django_db_blocker, _build_demo, media=media):
        yield media


@pytest.fixture
def demo(_demo_city: Path, db: None, settings: Settings, tmp_path: Path) -> None:
    """The demo city (shared, rolled back after each test), with the test's own copy of its files."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    copy_media(_demo_city, tmp_path / "media")
