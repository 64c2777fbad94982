"""Open data of the indicators (declared in the manifest): the representativeness tables and
the trust barometer of the city, of each quartier and of each published process, year by year,
protected exactly as on the pages (hidden cells are empty, counts rounded)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from apps.answers.models import BarometerScore
from apps.core.models import Process, Territory
from apps.indicators import privacy, selectors
from apps.indicators.barometer import barometer

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


def _scopes(
    process: Process | None, years: Iterable[int], processes_of: Callable[[int], Any]
) -> Iterator[tuple[str, selectors.Scope]]:
    """For one process: its scope each year of ``years`` (if published). Otherwise each year, the
    city, every quartier and the published processes among ``processes_of(year)`` (their ids)."""
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
        for item in Process.objects.published().filter(pk__in=processes_of(year)).order_by("pk"):
            yield "process", selectors.Scope(year, process=item)


def _participation_scopes(process: Process | None) -> Iterator[tuple[str, selectors.Scope]]:
    return _scopes(process, selectors.years_with_events(), lambda year: selectors.process_ids(selectors.Scope(year)))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def representativeness_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    for kind, scope in _participation_scopes(process):
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


BAROMETER_FIELDS = (
    "year",
    "scope",
    "territory",
    "process",
    "replies",
    "heard_mean",
    "heard_positive",
    "clear_mean",
    "clear_positive",
)


def _barometer_scopes(process: Process | None) -> Iterator[tuple[str, selectors.Scope]]:
    """The years with replies (of the process, when one is asked): the city and each quartier,
    and each published process with replies in the year (a process without any is not listed)."""
    scores = BarometerScore.objects.filter(process=process) if process is not None else BarometerScore.objects.all()
    years = sorted(set(scores.values_list("year", flat=True).order_by()), reverse=True)
    return _scopes(process, years, lambda year: BarometerScore.objects.filter(year=year).values("process_id"))


def barometer_rows(process: Process | None) -> Iterator[Mapping[str, Any]]:
    """The trust barometer of each scope, protected as on the pages: fewer than 11 replies and
    every figure of the row is empty; a mark answered by fewer than 11 people is empty."""
    for kind, scope in _barometer_scopes(process):
        with privacy.published(scope.label):
            figures = barometer(scope)
        yield {
            "year": scope.year,
            "scope": kind,
            "territory": scope.territory.slug if scope.territory else "",
            "process": scope.process.slug if scope.process else "",
            "replies": figures.replies,
            "heard_mean": _round(figures.heard_mean),
            "heard_positive": _round(figures.heard_positive),
            "clear_mean": _round(figures.clear_mean),
            "clear_positive": _round(figures.clear_positive),
        }
