"""Open data of the indicators (declared in the manifest): the representativeness tables of
the city, of each quartier and of each published process, year by year, protected exactly as
on the pages (hidden cells are empty, counts rounded)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from apps.core.models import Process, Territory
from apps.indicators import privacy, selectors

FIELDS = (
    "year",
    "scope",
    "territory",
    "process",
    "dimension",
    "category",
    "participants",
    "share",
    "ci_low",
    "ci_high",
    "reference_share",
)


def _scopes(process: Process | None) -> Iterator[tuple[str, selectors.Scope]]:
    years = selectors.years_with_events()
    if process is not None:
        if process.is_published:
            for year in years:
                yield "process", selectors.Scope(year, process=process)
        return
    quartiers = list(Territory.objects.filter(kind=Territory.Kind.QUARTIER).order_by("pk"))
    for year in years:
        yield "city", selectors.Scope(year)
        for quartier in quartiers:
            yield "quartier", selectors.Scope(year, territory=quartier)
        for item in Process.objects.published().filter(pk__in=selectors.process_ids(selectors.Scope(year))):
            yield "process", selectors.Scope(year, process=item)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def representativeness_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    for kind, scope in _scopes(process):
        # Open data is public: the same publication, hence the same noise, as the page.
        with privacy.published(scope.label):
            tables = selectors.representativeness(scope)
        for table in tables:
            for row in table.rows:
                yield {
                    "year": scope.year,
                    "scope": kind,
                    "territory": scope.territory.slug if scope.territory else "",
                    "process": scope.process.slug if scope.process else "",
                    "dimension": table.dimension,
                    "category": row.key,
                    "participants": row.participants,
                    "share": _round(row.share),
                    "ci_low": _round(row.ci_low),
                    "ci_high": _round(row.ci_high),
                    "reference_share": _round(row.reference_share),
                }
