"""Public pages of the draws: list, detail with the audit report, downloads, call for volunteers."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.params import parse_page
from apps.core.ratelimits import ratelimit
from apps.sortition import rules, selectors
from apps.sortition.bridge import POOL_FILE_NAME, distribution_from_json
from apps.sortition.engine.draw import canonical_description
from apps.sortition.forms import VolunteerForm
from apps.sortition.models import Draw, VolunteerApplication
from apps.sortition.services import volunteer_apply


def _draw_or_404(request: HttpRequest, slug: str) -> Draw:
    draw = get_object_or_404(Draw.objects.select_related("territory", "process"), slug=slug)
    if not rules.can_view_draw(request.user, draw):
        raise Http404
    return draw


@require_GET
def draw_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_draws().order_by("-drawn_at", "-pk"), 20).get_page(
        parse_page(request.GET.get("page"))
    )
    return TemplateResponse(request, "sortition/list.html", {"page": page, "draws": page.object_list})


@require_GET
def draw_detail(request: HttpRequest, slug: str) -> HttpResponse:
    draw = _draw_or_404(request, slug)
    members = selectors.public_members(draw)
    return TemplateResponse(
        request,
        "sortition/detail.html",
        {
            "draw": draw,
            "summary": selectors.probability_summary(draw),
            "quota_groups": selectors.quota_groups(draw),
            "members": members,
            "panel": selectors.panel_members(draw) if draw.state == Draw.State.DRAWN else None,
            "history": selectors.history(draw),
            "version": selectors.software_version(draw),
            "can_run": rules.can_run_draw(request.user, draw),
            "volunteering_open": rules.volunteering_open(draw),
            "pool_public": draw.seed_announced_at is not None and bool(draw.pool_csv),
        },
    )


@require_GET
def draw_report(request: HttpRequest, slug: str) -> HttpResponse:
    draw = _draw_or_404(request, slug)
    if not draw.report:
        raise Http404
    response = HttpResponse(
        json.dumps(draw.report, ensure_ascii=False, indent=2, sort_keys=True), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="tirage-{draw.slug}-rapport.json"'
    return response


@require_GET
def draw_pool(request: HttpRequest, slug: str) -> HttpResponse:
    """The pseudonymised pool file the draw runs on (pseudonyms and category values only),
    public once the seed is announced; its SHA-256 is the one of the report."""
    draw = _draw_or_404(request, slug)
    if draw.seed_announced_at is None or not draw.pool_csv:
        raise Http404
    response = HttpResponse(draw.pool_csv.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tirage-{draw.slug}-{POOL_FILE_NAME}"'
    return response


@require_GET
def draw_distribution(request: HttpRequest, slug: str) -> HttpResponse:
    """The lottery over panels as hashed at the announcement (``engine.draw.canonical_description``):
    its SHA-256 is the one published on the page and in the report's timeline."""
    draw = _draw_or_404(request, slug)
    if draw.seed_announced_at is None or draw.distribution is None or not draw.distribution_sha256:
        raise Http404
    text = canonical_description(distribution_from_json(draw.distribution))
    response = HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tirage-{draw.slug}-loterie.json"'
    return response


@require_GET
def draw_categories(request: HttpRequest, slug: str) -> HttpResponse:
    draw = _draw_or_404(request, slug)
    if not draw.categories_csv:
        raise Http404
    # Served byte for byte as stored (UTF-8): its SHA-256 is the one of the decoded upload.
    response = HttpResponse(draw.categories_csv.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tirage-{draw.slug}-quotas.csv"'
    return response


@ratelimit(key="user_or_ip", rate="10/h", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def volunteer(request: HttpRequest, slug: str) -> HttpResponse:
    draw = get_object_or_404(Draw.objects.select_related("territory", "process"), slug=slug)
    if not rules.can_view_call(request.user, draw):
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    is_open = rules.volunteering_open(draw)
    existing = VolunteerApplication.objects.filter(draw=draw, user=user).first()
    form = VolunteerForm(request.POST or None, draw=draw) if is_open else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                volunteer_apply(
                    user=user,
                    draw=draw,
                    features=form.features(),
                    phone=form.cleaned_data["phone"],
                    consent=form.cleaned_data["consent"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Merci ! Votre candidature est enregistrée."))
                return HttpResponseRedirect(request.path)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "sortition/volunteer.html",
        {"draw": draw, "form": form, "existing": existing, "is_open": is_open},
        status=status,
    )
