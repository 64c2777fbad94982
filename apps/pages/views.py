"""Public pages: home, processes, quartiers, accessibility statement, public media."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from csp.decorators import csp
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core import gazetteer, maps, plugs, theme
from apps.core.models import Process, Territory
from apps.core.params import parse_page
from apps.core.phases import can_view_process
from apps.core.ratelimits import ratelimit
from apps.core.registry import all_exports
from apps.core.uploads import STORED_FILE_CSP, served_type, stored_file_response
from apps.core.views import typed_fields
from apps.pages import media as public_media
from apps.pages import now as now_module
from apps.pages import selectors
from apps.pages.forms import ProcessFilterForm

PROCESSES_PER_PAGE = 12
# Below this many, a count about people is shown as « moins de 11 » (statistical secrecy).
SMALL_CELL = 11


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    home_territory: Territory | None = None
    near: list[Process] = []
    user = request.user
    if user.is_authenticated and getattr(user, "home_territory_id", None):
        home_territory = user.home_territory
        near = list(selectors.open_processes_near(home_territory)[:6])  # type: ignore[arg-type]
    near_ids = {process.pk for process in near}
    # Ordered by what a resident can do now (votes first), then by the end of the phase.
    all_open = now_module.by_urgency(
        selectors.with_state(selectors.public_processes(), "open", now).order_by("last_end", "pk")[:24], now
    )
    open_processes = [process for process in all_open if process.pk not in near_ids][:12]
    invitations = now_module.invitations(near + all_open, near_ids, now)
    upcoming = list(selectors.with_state(selectors.public_processes(), "upcoming", now).order_by("first_start")[:6])
    return render(
        request,
        "pages/home.html",
        {
            "home_territory": home_territory,
            "near": now_module.by_urgency(near, now),
            "open_processes": open_processes,
            "invitations": invitations[:6],
            "upcoming": upcoming,
            # Modules add their sections (the proposals, the city's latest answers).
            "sections": plugs.page_sections(request, "home"),
            "updates": selectors.recent_commitment_updates(),
            "quartiers": selectors.quartiers(),
        },
    )


@require_safe
def process_list(request: HttpRequest) -> HttpResponse:
    form = ProcessFilterForm(request.GET or None)
    filters = form.cleaned_or_empty() if request.GET else {}
    queryset = selectors.public_processes()
    if filters.get("quartier"):
        territory = Territory.objects.get(slug=filters["quartier"])
        queryset = selectors.in_territories(queryset, territory.descendant_ids())
    if filters.get("theme"):
        queryset = queryset.filter(themes__slug=filters["theme"])
    if filters.get("etat"):
        queryset = selectors.with_state(queryset, filters["etat"])
    page = Paginator(queryset.order_by("-first_start", "pk"), PROCESSES_PER_PAGE).get_page(
        parse_page(request.GET.get("page"))
    )
    return render(
        request,
        "pages/process_list.html",
        {
            "form": form,
            "page": page,
            "base_query": urlencode({key: value for key, value in filters.items() if value}),
            "filtered": any(filters.values()),
        },
    )


@require_safe
def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_object_or_404(
        Process.objects.select_related("territory").prefetch_related("phases", "themes"), slug=slug
    )
    if not can_view_process(request.user, process):
        raise Http404
    now = timezone.now()
    phases = process.ordered_phases()
    current = next((phase for phase in phases if phase.is_active(now)), None)
    return render(
        request,
        "pages/process_detail.html",
        {
            "process": process,
            "phases": phases,
            "current_phase": current,
            "state": process.state(now),
            # Each module present on the process adds its panel to « Participer ».
            "panels": plugs.process_panels(request, process),
            "exports": list(all_exports()),
        },
    )


@require_safe
def territory_detail(request: HttpRequest, slug: str) -> HttpResponse:
    territory = get_object_or_404(Territory.objects.select_related("parent"), slug=slug)
    inside = territory.descendant_ids()
    children = list(territory.children.order_by("name"))
    open_near = selectors.open_processes_near(territory)
    # The map draws this territory (or its quartiers, for the city) with its text alternative:
    # the list of quartiers and the description above it.
    drawn = children if territory.kind == Territory.Kind.CITY else [territory, *children]
    config = maps.map_config(territories=drawn)
    return render(
        request,
        "pages/territory_detail.html",
        {
            "territory": territory,
            "children": children,
            "processes": list(open_near[:12]),
            "sections": plugs.page_sections(request, "territory", territory),
            "commitments": selectors.commitments_in(inside),
            "updates": selectors.recent_commitment_updates(territory_ids=inside),
            "figures": selectors.territory_figures(inside, open_processes=open_near.count()),
            "map_config": config if config["boundaries"]["features"] else None,
            "small_cell": SMALL_CELL,
        },
    )


@require_safe
@ratelimit(key="user_or_ip", rate="120/m", method=["GET", "HEAD"], block=True)
def address_suggestions(request: HttpRequest) -> JsonResponse:
    """Streets of the local gazetteer matching ``q``, as GeoJSON features shaped like the
    national address service's answers (one parser in the browser for both)."""
    query = request.GET.get("q", "")
    if "\x00" in query or len(query) > gazetteer.MAX_QUERY:
        return JsonResponse({"error": _("Saisissez le début d’un nom de rue (100 caractères au plus).")}, status=400)
    features = [
        {
            "type": "Feature",
            "properties": {"label": street.name},
            "geometry": {"type": "Point", "coordinates": [float(street.longitude), float(street.latitude)]},
        }
        for street in gazetteer.search(query)
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@require_safe
@csp(STORED_FILE_CSP)  # type: ignore[arg-type]  # django-csp types views as (request) only
def media(request: HttpRequest, path: str) -> FileResponse:
    """Uploaded files are served only when they belong to something public: the upload
    folder itself is never exposed (a draft's or a withdrawn proposal's image stays private).
    Only the image types of the allow-list are sent, whatever else lies in MEDIA_ROOT."""
    if not (served_type(path) or "").startswith("image/"):
        raise Http404
    try:
        full_path = Path(safe_join(str(settings.MEDIA_ROOT), path))
    except SuspiciousFileOperation as exc:
        raise Http404 from exc
    relative = Path(os.path.relpath(full_path, os.path.abspath(settings.MEDIA_ROOT))).as_posix()
    if relative != path or not public_media.is_public(relative) or not full_path.is_file():
        raise Http404
    response = stored_file_response(full_path.open("rb"), name=relative)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _host_shown(url: str) -> str:
    """The server a URL template points to, as a reader would name it: ``{s}.`` subdomain
    placeholders of tile URLs dropped."""
    return re.sub(r"\{[^}]*\}\.?", "", urlsplit(url).hostname or "")


@require_safe
def legal_page(request: HttpRequest, template: str) -> HttpResponse:
    """Legal notice, privacy policy, terms and cookies: one template each, filled from the
    settings the city configures (``LEGAL_*``, ``DPO_CONTACT``, ``RETENTION_*``)."""
    context = {
        "publisher_name": settings.LEGAL_PUBLISHER_NAME,
        "publisher_address": settings.LEGAL_PUBLISHER_ADDRESS,
        "legal_contact": settings.LEGAL_CONTACT_EMAIL,
        "director": settings.LEGAL_DIRECTOR,
        "host": settings.LEGAL_HOST,
        "dpo_contact": settings.DPO_CONTACT,
        "inactive_account_years": settings.RETENTION_INACTIVE_ACCOUNT_YEARS,
        "logs_months": settings.RETENTION_LOGS_MONTHS,
        # Third parties the visitor's browser talks to directly (they see its IP address).
        "tile_host": _host_shown(settings.MAP_TILE_URL),
        "address_search_host": _host_shown(settings.ADDRESS_SEARCH_URL),
    }
    return render(request, template, context)


# --- error pages (handler400/403/404/500 in archipel/urls.py, CSRF_FAILURE_VIEW) ---------------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request: no context processor, no database, no session, since
    any of them may be what failed."""
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was refused (expired page, blocked cookies): explain, offer the way back and
    show back what was typed so nothing is lost."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return render(request, "403_csrf.html", {"back_url": back, "typed_fields": typed_fields(request)}, status=403)


@require_safe
def theme_css(request: HttpRequest) -> HttpResponse:
    """The city's brand tokens (settings only, apps/core/theme.py). Its URL carries a hash of its
    content, so browsers may keep it a long time."""
    response = HttpResponse(theme.stylesheet(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def language(request: HttpRequest, code: str) -> HttpResponse:
    """The language link of the header: remember the language, go back to the page.

    A link rather than Django's POST form (one tap, no « Changer » button). Choosing a language
    changes no data of anyone's, so a GET is fine; ``next`` must be a path of this site."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("pages:home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
