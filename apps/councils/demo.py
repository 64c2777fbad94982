"""Demo content of the councils module, built by ``manage.py demo_city`` after the foundation's."""

from __future__ import annotations

from typing import Any


def build(builder: Any) -> dict[str, int]:
    return {}
