"""Streamed CSV and JSON: rows are written as they come from the database iterator, so an
export of a hundred thousand comments never sits whole in memory (Decidim #15443)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from apps.core import csvsafe


class Echo:
    """A write-only file-like object: ``csv.writer`` hands each line straight back."""

    def write(self, value: str) -> str:
        return value


def csv_lines(fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    # Cells a spreadsheet would run as formulas are neutralised (apps/core/csvsafe.py).
    writer = csvsafe.writer(Echo())
    yield writer.writerow(fields)
    for row in rows:
        yield writer.writerow([_csv_value(row.get(name)) for name in fields])


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def json_chunks(fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    yield "["
    first = True
    for row in rows:
        item = {name: row.get(name) for name in fields}
        yield ("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False, cls=DjangoJSONEncoder)
        first = False
    yield "\n]\n"
