"""Public pages of the indicators (``/indicateurs/``): the city, a quartier or a published
process, one year at a time. Every count is protected (:mod:`apps.indicators.privacy`); the
year and the quartier come from allowlists."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.core.models import Process, Territory
from apps.core.params import parse_id, parse_int
from apps.indicators import charts, privacy, selectors, sources
from apps.indicators.barometer import barometer


def _year(request: HttpRequest, years: list[int]) -> int:
    current = timezone.localdate().year
    wanted = parse_int(request.GET.get("annee"), minimum=2000, maximum=current)
    if wanted is not None and (wanted in years or wanted == current):
        return wanted
    return years[0] if years else current


def _quartiers() -> list[Territory]:
    return list(Territory.objects.filter(kind=Territory.Kind.QUARTIER).order_by("name"))


def scope_context(scope: selectors.Scope) -> dict[str, Any]:
    """Every figure of a scope, protected (the back office's, or the public's inside a
    ``privacy.published`` block: see :func:`public_scope_context`)."""
    with sources.shared_reads():  # the participants, channels and tables: one read of the people
        tables = selectors.representativeness(scope)
        channels = selectors.channels(scope)
    return {
        "scope": scope,
        "channels": channels,
        "tables": [(table, charts.dimension_chart(table)) for table in tables],
        "renewal": selectors.renewal(scope),
        "over_solicited": selectors.over_solicited(scope),
        "accountability": selectors.accountability(scope),
        "barometer": barometer(scope),
        "service_delays": selectors.service_delays(scope),
        "min_cell": privacy.MIN_CELL,
    }


def public_scope_context(scope: selectors.Scope) -> dict[str, Any]:
    """The figures of a scope as published: noised when the city set ``INDICATORS_DP_EPSILON``."""
    with privacy.published(scope.label):
        return scope_context(scope)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    years = selectors.years_with_events()
    year = _year(request, years)
    quartiers = _quartiers()
    territory = None
    quartier_id = parse_id(request.GET.get("quartier"))
    if quartier_id is not None:
        territory = next((quartier for quartier in quartiers if quartier.pk == quartier_id), None)
        if territory is None:
            raise Http404
    context = public_scope_context(selectors.Scope(year, territory=territory))
    processes = Process.objects.published().filter(
        pk__in=selectors.process_ids(selectors.Scope(year, territory=territory))
    )
    context.update(
        {
            "years": years or [year],
            "year": year,
            "quartiers": quartiers,
            "territory": territory,
            "processes": processes.order_by("title")[:50],
        }
    )
    return render(request, "indicators/index.html", context)


@require_GET
def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = get_object_or_404(Process.objects.published().select_related("territory"), pk=pk)
    years = selectors.years_with_events()
    year = _year(request, years)
    context = public_scope_context(selectors.Scope(year, process=process))
    context.update({"process": process, "years": years or [year], "year": year})
    return render(request, "indicators/process.html", context)
