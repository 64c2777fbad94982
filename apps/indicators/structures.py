"""Back-office pages of the catalogue of indicators and of the structures' dashboards (issue
14, item 5: indicators « définis par la MEL et choisis ensuite par les structures »). The city
defines the catalogue; each structure's agents pick its set and see its dashboard."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.models import User
from apps.core.backoffice_kit import actor, redirect, render_page, saved, staff_required
from apps.core.rules_kit import require
from apps.indicators import rules, selectors, services
from apps.indicators.forms import CatalogueForm, StructureChoiceForm
from apps.indicators.models import CatalogueIndicator, Measure, Structure
from apps.indicators.views import scope_context

DIMENSIONS = {Measure.AGE, Measure.GENDER, Measure.QPV, Measure.QUARTIER}


def _mine(user: User) -> QuerySet[Structure]:
    structures = Structure.objects.select_related("territory").order_by("name")
    return structures if rules.can_manage_catalogue(user) else structures.filter(agents=user)


@staff_required
@require_GET
def structures(request: HttpRequest) -> HttpResponse:
    require(rules.can_read_indicators(request.user))
    return render_page(
        request,
        "indicators/backoffice/structures.html",
        {"structures": list(_mine(actor(request))), "can_manage": rules.can_manage_catalogue(request.user)},
    )


def dashboard_context(structure: Structure, year: int) -> dict[str, Any]:
    """The figures of the structure's territory for its chosen measures only."""
    chosen = [item for item in structure.indicators.all() if item.measure in Measure.values]
    measures = {item.measure for item in chosen}
    context = scope_context(selectors.Scope(year, territory=structure.territory)) if chosen else {}
    if chosen:
        context["tables"] = [(table, chart) for table, chart in context["tables"] if table.dimension in measures]
        context["sections"] = measures | ({"dimensions"} if measures & DIMENSIONS else set())
    context["chosen"] = chosen
    return context


@staff_required
@require_http_methods(["GET", "POST"])
def structure(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Structure.objects.select_related("territory"), pk=pk)
    if not rules.can_edit_structure(request.user, item):
        raise PermissionDenied
    form = StructureChoiceForm(request.POST or None, initial={"indicators": list(item.indicators.all())})

    def save() -> object:
        return services.structure_choose(
            actor=actor(request), structure=item, indicators=list(form.cleaned_data["indicators"])
        )

    if saved(request, form, save, success=_("Indicateurs de la structure enregistrés.")):
        return redirect(reverse("indicators_admin:structure", kwargs={"pk": item.pk}))
    context = dashboard_context(item, timezone.localdate().year)
    context.update({"structure": item, "form": form, "catalogue_empty": not CatalogueIndicator.objects.exists()})
    return render_page(request, "indicators/backoffice/structure.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def catalogue(request: HttpRequest) -> HttpResponse:
    if not rules.can_manage_catalogue(request.user):
        raise PermissionDenied
    form = CatalogueForm(request.POST or None)

    def save() -> object:
        data = form.cleaned_data
        return services.catalogue_save(
            actor=actor(request),
            measure=data["measure"],
            title=data["title"],
            definition=data["definition"],
            order=data["order"],
        )

    if saved(request, form, save, success=_("Indicateur du catalogue enregistré.")):
        return redirect(reverse("indicators_admin:catalogue"))
    return render_page(
        request,
        "indicators/backoffice/catalogue.html",
        {"form": form, "items": list(CatalogueIndicator.objects.prefetch_related("structures"))},
    )
