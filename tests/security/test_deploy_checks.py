"""Issue 8, item 6: production refuses to run without Redis (rate limits, sessions and the
cache would silently be per process)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from apps.core.checks import redis_in_production

ROOT = Path(__file__).resolve().parents[2]


@override_settings(PRODUCTION=True, REDIS_URL="")
def test_production_without_redis_is_an_error() -> None:
    assert [message.id for message in redis_in_production()] == ["archipel.E001"]


@override_settings(PRODUCTION=True, REDIS_URL="redis://127.0.0.1:6379/0")
def test_production_with_redis_passes() -> None:
    assert redis_in_production() == []


@override_settings(PRODUCTION=False, REDIS_URL="")
def test_the_demo_runs_without_redis() -> None:
    assert redis_in_production() == []


def test_check_deploy_fails_without_redis_in_production(tmp_path: Path) -> None:
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "DJANGO_", "REDIS"))},
        "ARCHIPEL_ENV": "production",
        "ARCHIPEL_TESTING": "0",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "archipel.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "archipel.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "archipel.E001" in result.stderr + result.stdout
