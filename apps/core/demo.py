"""Helpers shared by the demo builders (``manage.py demo_city`` and each module's ``demo.py``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models

DAY = datetime.timedelta(days=1)


@contextmanager
def explicit_timestamps(*fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create keep the dates we set: a demo made of rows all created "now"
    would show no history. Django's auto_now_add overwrites them otherwise."""
    saved = []
    for model, name in fields:
        field = model._meta.get_field(name)
        saved.append((field, field.auto_now_add))  # type: ignore[union-attr]
        field.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for field, value in saved:
            field.auto_now_add = value  # type: ignore[union-attr]
