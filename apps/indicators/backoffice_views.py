"""Back-office pages of the indicators (``/gestion/indicateurs/``): the agents and élus of a
process see its figures and, while it is open, which groups are missing; a city-wide
administrator imports the reference populations and sets the alert thresholds."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.backoffice_kit import (
    READERS,
    actor,
    process_or_404,
    processes_in_scope,
    redirect,
    render_page,
    saved,
    staff_required,
)
from apps.core.rules_kit import require
from apps.indicators import insee, rules, selectors, services
from apps.indicators.forms import ReferenceUploadForm, ThresholdsForm
from apps.indicators.models import ReferencePopulation, Thresholds
from apps.indicators.views import scope_context


@staff_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require(rules.can_read_indicators(request.user))
    processes = list(
        processes_in_scope(request.user, READERS)
        .select_related("territory")
        .prefetch_related("phases")
        .order_by("title")
    )
    open_processes = [process for process in processes if process.state() == "open"]
    return render_page(
        request,
        "indicators/backoffice/index.html",
        {
            "open_processes": open_processes,
            "alerts": selectors.alerts(open_processes),
            "can_manage": rules.can_manage_reference(request.user),
        },
    )


@staff_required
@require_GET
def process(request: HttpRequest, pk: int) -> HttpResponse:
    item = process_or_404(pk)
    require(rules.can_read_process_indicators(request.user, item))
    year = timezone.localdate().year
    context = scope_context(selectors.Scope(year, process=item))
    context.update(
        {
            "process": item,
            "alerts": selectors.alerts([item], year),
            "suggestions": selectors.SUGGESTIONS,
            "is_open": item.state() == "open",
        }
    )
    return render_page(request, "indicators/backoffice/process.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def reference(request: HttpRequest) -> HttpResponse:
    if not rules.can_manage_reference(request.user):
        raise PermissionDenied
    form = ReferenceUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            raw = upload.read(insee.MAX_BYTES + 1)
            parsed = services.reference_import(actor=actor(request), raw=raw)
        except insee.InseeError as error:
            errors = error.messages
        else:
            from django.contrib import messages

            messages.success(
                request,
                _("Population de référence %(year)d importée : %(rows)d IRIS, %(quartiers)d quartiers.")
                % {"year": parsed.year, "rows": parsed.rows, "quartiers": len(parsed.figures)},
            )
            return redirect(reverse("indicators_admin:reference"))
    years = ReferencePopulation.objects.filter(dimension="total").values("year").order_by("-year").distinct()
    summary = [
        {
            "year": row["year"],
            "quartiers": ReferencePopulation.objects.filter(year=row["year"], dimension="total").count(),
            "population": sum(
                ReferencePopulation.objects.filter(year=row["year"], dimension="total").values_list("count", flat=True)
            ),
        }
        for row in years
    ]
    return render_page(
        request,
        "indicators/backoffice/reference.html",
        {"form": form, "errors": errors, "summary": summary},
        status=400 if errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def thresholds(request: HttpRequest) -> HttpResponse:
    if not rules.can_manage_reference(request.user):
        raise PermissionDenied
    form = ThresholdsForm(request.POST or None, instance=Thresholds.current())

    def save() -> object:
        return services.thresholds_update(
            actor=actor(request),
            min_ratio=form.cleaned_data["min_ratio"],
            min_participants=form.cleaned_data["min_participants"],
        )

    if saved(request, form, save, success=_("Seuils d'alerte enregistrés.")):
        return redirect(reverse("indicators_admin:thresholds"))
    return render_page(request, "indicators/backoffice/thresholds.html", {"form": form})
