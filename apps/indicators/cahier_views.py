"""Public pages of the yearly « cahier de la participation » per quartier (``/indicateurs/cahiers/``).
The quartier and the year come from allowlists (the city's quartiers; the years with events)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.core.models import Territory
from apps.core.pdf import pdf_download
from apps.indicators import charts, privacy, selectors
from apps.indicators.cahier import cahier_of, cahier_pdf


def _years() -> list[int]:
    years = selectors.years_with_events()
    return years or [timezone.localdate().year]


def _quartier_and_year(pk: int, year: int) -> tuple[Territory, int]:
    if year not in _years():
        raise Http404
    territory = Territory.objects.filter(kind=Territory.Kind.QUARTIER, pk=pk).first()
    if territory is None:
        raise Http404
    return territory, year


@require_GET
def cahier_list(request: HttpRequest) -> HttpResponse:
    quartiers = list(Territory.objects.filter(kind=Territory.Kind.QUARTIER).order_by("name"))
    return render(request, "indicators/cahier_list.html", {"quartiers": quartiers, "years": _years()})


@require_GET
def cahier(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    territory, year = _quartier_and_year(pk, year)
    data = cahier_of(territory, year)
    return render(
        request,
        "indicators/cahier.html",
        {
            "cahier": data,
            "territory": territory,
            "year": year,
            "years": _years(),
            # The figures template of the indicators pages, fed with the cahier's tables.
            "scope": selectors.Scope(year, territory=territory),
            "channels": data.channels,
            "tables": [(table, charts.dimension_chart(table)) for table in data.tables],
            "renewal": data.renewal,
            "over_solicited": data.over_solicited,
            "accountability": data.accountability,
            "service_delays": data.service_delays,
            "min_cell": privacy.MIN_CELL,
        },
    )


@require_GET
def cahier_download(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    territory, year = _quartier_and_year(pk, year)
    return pdf_download(
        cahier_pdf(cahier_of(territory, year)), f"cahier-participation-{territory.slug[:60]}-{year}.pdf"
    )
