"""The indicators' settings come from the environment (archipel/settings.py, README's table)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test.utils import override_settings

from apps.indicators import sources

ROOT = Path(__file__).resolve().parents[2]


def _settings_with(**environ: str) -> str:
    """``INDICATORS_SOURCE`` and ``INDICATORS_DP_EPSILON`` as a fresh interpreter reads them."""
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(repr((settings.INDICATORS_SOURCE, settings.INDICATORS_DP_EPSILON)))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("INDICATORS_")}
    env.update({"DJANGO_SETTINGS_MODULE": "archipel.settings", **environ})
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def test_defaults_and_environment_variables() -> None:
    assert _settings_with() == "('rollup', None)"
    assert _settings_with(INDICATORS_SOURCE="events", INDICATORS_DP_EPSILON="0.5") == "('events', 0.5)"
    assert _settings_with(INDICATORS_DP_EPSILON=" ") == "('rollup', None)"
    for wrong in ("0", "-1", "inf", "beaucoup"):
        assert "ValueError" in _settings_with(INDICATORS_DP_EPSILON=wrong), wrong


def test_an_unknown_source_is_refused_by_name() -> None:
    with override_settings(INDICATORS_SOURCE="rollups"), pytest.raises(ImproperlyConfigured, match="process_rollup"):
        sources.current()
    with override_settings(INDICATORS_SOURCE="process_rollup"):
        assert isinstance(sources.current(), sources.ProcessRollup)
