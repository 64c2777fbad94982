"""Back office of the draws (/gestion/tirages/): agents run a draw step by step, élus read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.backoffice_kit import (
    AGENTS,
    actor,
    attach_errors,
    processes_in_scope,
    redirect,
    render_page,
    staff_required,
    territories_in_scope,
)
from apps.core.params import parse_page
from apps.core.rules_kit import require
from apps.sortition import rules, selectors, services
from apps.sortition.engine import PoolError
from apps.sortition.forms import DrawCreateForm, FinalDrawForm, MemberStatusForm, PoolImportForm, SeedForm
from apps.sortition.models import Draw, PoolMember


def _draw_or_404(pk: int) -> Draw:
    return get_object_or_404(Draw.objects.select_related("territory", "process"), pk=pk)


def _to_draw(draw: Draw, anchor: str = "") -> HttpResponse:
    return redirect(reverse("sortition_admin:draw", kwargs={"pk": draw.pk}) + (f"#{anchor}" if anchor else ""))


@staff_required
def draw_list(request: HttpRequest) -> HttpResponse:
    require(rules.can_list_draws_admin(request.user))
    page = Paginator(selectors.draws_for_staff(request.user), 30).get_page(parse_page(request.GET.get("page")))
    return render_page(
        request,
        "sortition/admin/list.html",
        {"page": page, "draws": page.object_list, "can_create": rules.can_create_draw(request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def draw_create(request: HttpRequest) -> HttpResponse:
    require(rules.can_create_draw(request.user))
    territories = territories_in_scope(request.user, AGENTS).order_by("name")
    processes = processes_in_scope(request.user, AGENTS).order_by("title")
    form = DrawCreateForm(request.POST or None, territories=territories, processes=processes)
    if request.method == "POST" and form.is_valid():
        try:
            draw = services.draw_create(actor=actor(request), **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Le tirage est créé. Étape suivante : importer la liste."))
            return redirect(reverse("sortition_admin:pool", kwargs={"pk": draw.pk}))
    status = 400 if request.method == "POST" else 200
    return render_page(request, "sortition/admin/create.html", {"form": form}, status=status)


@staff_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(pk)
    require(rules.can_view_draw_admin(request.user, draw))
    return _draw_page(request, draw)


def _draw_page(request: HttpRequest, draw: Draw, status: int = 200, **extra: Any) -> HttpResponse:
    problems = services.quota_problems(draw) if draw.state in (Draw.State.POOL_LOADED,) else None
    last_preview = draw.attempts.filter(kind="preview").order_by("-created_at", "-pk").first()
    context: dict[str, Any] = {
        "draw": draw,
        "can_run": rules.can_run_draw(request.user, draw),
        "can_see_personal": rules.can_see_personal_data(request.user, draw),
        "summary": selectors.probability_summary(draw),
        "quota_groups": selectors.quota_groups(draw),
        "problems": problems,
        "last_preview": last_preview,
        "history": selectors.history(draw),
        "applications": draw.applications.count(),
        "seed_form": extra.get("seed_form") or SeedForm(),
        "selected": selectors.selected_members(draw) if draw.state == Draw.State.DRAWN else None,
        "to_replace": services.panel_identifiers(draw)[1] if draw.state == Draw.State.DRAWN else [],
        "refresh": draw.state == Draw.State.COMPUTING,
        "refusal": services.final_refusal(draw),
        **extra,
    }
    if context["selected"] is not None:
        context["members"] = [(m, MemberStatusForm(member=m)) for m in context["selected"]]
    return render_page(request, "sortition/admin/draw.html", context, status=status)


def _file_name(request: HttpRequest, field: str, default: str) -> str:
    upload = request.FILES.get(field)
    return str(getattr(upload, "name", "") or default)


@staff_required
@require_http_methods(["GET", "POST"])
def pool_import(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(pk)
    require(rules.can_run_draw(request.user, draw))
    volunteers = draw.list_source == Draw.ListSource.VOLUNTEERS
    form = PoolImportForm(request.POST or None, request.FILES or None, people_required=not volunteers)
    issues: list[Any] = []
    if request.method == "POST" and form.is_valid():
        people, categories = form.cleaned_data["people"], form.cleaned_data["categories"]
        people_name = _file_name(request, "people", "liste.csv")
        categories_name = _file_name(request, "categories", "quotas.csv")
        try:
            if people:
                services.pool_import(
                    actor=actor(request),
                    draw=draw,
                    people=people,
                    categories=categories,
                    people_name=people_name,
                    categories_name=categories_name,
                )
                messages.success(request, _("La liste est importée. Vérifiez sa composition, puis calculez."))
            else:
                services.quotas_import(
                    actor=actor(request), draw=draw, categories=categories, categories_name=categories_name
                )
                messages.success(request, _("Les quotas sont enregistrés : l'appel à volontaires peut s'ouvrir."))
        except PoolError as error:
            issues = error.errors
            form.add_error(None, _("Les fichiers contiennent des erreurs : voir la liste ci-dessous."))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return _to_draw(draw)
    status = 400 if request.method == "POST" else 200
    return render_page(
        request,
        "sortition/admin/pool.html",
        {"draw": draw, "form": form, "issues": issues, "volunteers": volunteers},
        status=status,
    )


@staff_required
@require_POST
def pool_from_volunteers(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(pk)
    require(rules.can_run_draw(request.user, draw))
    try:
        services.pool_from_volunteers(actor=actor(request), draw=draw)
    except (ValidationError, PoolError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Les candidatures forment la liste du tirage."))
    return _to_draw(draw)


@staff_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(pk)
    require(rules.can_run_draw(request.user, draw))
    try:
        draw = services.probabilities_request(actor=actor(request), draw=draw)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if draw.state == Draw.State.COMPUTING:
            messages.info(request, _("Le calcul est lancé : cette page se met à jour toute seule."))
        elif draw.state == Draw.State.COMPUTED:
            messages.success(request, _("Les probabilités sont calculées."))
        else:
            messages.error(request, _("Aucun panel ne respecte les quotas : voir l'explication."))
    return _to_draw(draw, "etape-probabilites")


@staff_required
@require_POST
def announce_seed(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(pk)
    require(rules.can_run_draw(request.user, draw))
    form = SeedForm(request.POST)
    if form.is_valid():
        try:
            services.seed_announce(actor=actor(request), draw=draw, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Le tirage est annoncé : sa page est publique, avec l'événement qui fournira la graine.")
            )
            return _to_draw(draw, "etape-graine")
    return _draw_page(request, draw, 400, seed_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def final_draw(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(pk)
    require(rules.can_run_draw(request.user, draw))
    form = FinalDrawForm(request.POST or None, draw=draw)
    error_messages: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.draw_final(actor=actor(request), draw=draw, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                attach_errors(form, error)
            else:
                error_messages = error.messages
        else:
            messages.success(request, _("Le tirage est effectué. Invitez maintenant les personnes tirées."))
            return _to_draw(draw, "etape-panel")
    status = 400 if request.method == "POST" else 200
    return render_page(
        request,
        "sortition/admin/final.html",
        {"draw": draw, "form": form, "errors": error_messages, "refusal": services.final_refusal(draw)},
        status=status,
    )


@staff_required
@require_POST
def member_status(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    draw = _draw_or_404(pk)
    require(rules.can_run_draw(request.user, draw))
    member = get_object_or_404(PoolMember, pk=member_pk, draw=draw)
    form = MemberStatusForm(request.POST, member=member)
    if form.is_valid():
        try:
            services.member_set_status(actor=actor(request), member=member, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("État de %(name)s mis à jour.") % {"name": member.pseudonym})
    else:
        messages.error(request, _("Choisissez un nouvel état."))
    return _to_draw(draw, "etape-panel")


@staff_required
@require_POST
def alternates(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(pk)
    require(rules.can_run_draw(request.user, draw))
    try:
        attempt = services.alternates_draw(actor=actor(request), draw=draw)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        count = len(attempt.outcome.get("replacements", {}))
        messages.success(
            request,
            ngettext("%(count)s remplaçant·e tiré·e au sort.", "%(count)s remplaçant·es tiré·es au sort.", count)
            % {"count": count},
        )
    return _to_draw(draw, "etape-panel")


@staff_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _draw_or_404(pk)
    require(rules.can_run_draw(request.user, draw))
    published = request.POST.get("published", "1") == "1"
    try:
        services.draw_publish(actor=actor(request), draw=draw, published=published)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("La page publique est en ligne.") if published else _("La page publique est retirée.")
        )
    return _to_draw(draw)
