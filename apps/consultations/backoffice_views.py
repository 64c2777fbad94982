"""Back-office pages of conversations (``/gestion/consultations/``): the moderation queue of
statements and the French synthesis of free-text contributions (start, review, merge, publish).
Each view parses input, asks one rule, calls one service, then renders or redirects."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from apps.consultations import moderation, rules
from apps.consultations.models import Conversation
from apps.consultations.synthesis import rules as synthesis_rules
from apps.consultations.synthesis import services as synthesis
from apps.consultations.synthesis.forms import MergeForm, ModerationForm, StartForm, SynthesisForm, ThemeForm
from apps.consultations.synthesis.models import Citation, Synthesis, Theme
from apps.consultations.synthesis.presentation import theme_rows
from apps.core.backoffice_kit import (
    AGENTS,
    actor,
    attach_errors,
    processes_in_scope,
    redirect,
    render_page,
    staff_required,
)
from apps.core.roles import has_role
from apps.core.rules_kit import require

QUEUE_PAGE = 200


@staff_required
@require_http_methods(["GET", "POST"])
def moderation_queue(request: HttpRequest) -> HttpResponse:
    require(rules.can_use_moderation(request.user))
    waiting = list(moderation.queue(actor(request))[:QUEUE_PAGE])
    form = ModerationForm(request.POST or None, choices=[(s.pk, s.text) for s in waiting])
    if request.method == "POST" and form.is_valid():
        try:
            done = moderation.statements_moderate(
                moderator=actor(request),
                statement_ids=form.cleaned_data["statements"],
                accept=form.cleaned_data["action"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, ngettext("%(n)d affirmation modérée.", "%(n)d affirmations modérées.", done) % {"n": done}
            )
            return redirect(reverse("consultations_admin:moderation"))
    checked = {str(v) for v in request.POST.getlist("statements")}
    context = {
        "form": form,
        "waiting": waiting,
        "checked": checked,
        "total": moderation.queue(actor(request)).count(),
        "conversations": moderation.conversations_in_scope(actor(request))[:QUEUE_PAGE],
        "modes": Conversation.Moderation.choices,
    }
    return render_page(request, "consultations/backoffice/moderation.html", context, status=400 if form.errors else 200)


@staff_required
@require_POST
def moderation_mode(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(Conversation.objects.select_related("process"), pk=pk)
    require(rules.can_moderate(request.user, conversation))
    try:
        moderation.moderation_mode_set(
            moderator=actor(request), conversation=conversation, mode=request.POST.get("moderation", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Mode de modération enregistré."))
    return redirect(reverse("consultations_admin:moderation") + "#modes")


def _synthesis(request: HttpRequest, pk: int) -> Synthesis:
    found = get_object_or_404(Synthesis.objects.select_related("process__territory"), pk=pk)
    require(synthesis_rules.can_synthesise(request.user, found.process))
    return found


@staff_required
@require_http_methods(["GET", "POST"])
def synthesis_list(request: HttpRequest) -> HttpResponse:
    require(has_role(request.user, AGENTS))
    processes = processes_in_scope(request.user, AGENTS).order_by("title")
    form = StartForm(request.POST or None, processes=processes)
    if request.method == "POST" and form.is_valid():
        try:
            started = synthesis.synthesis_start(
                agent=actor(request), process=form.cleaned_data["process"], themes=form.cleaned_data["themes"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Synthèse lancée : le calcul se fait en arrière-plan."))
            return redirect(reverse("consultations_admin:synthesis", args=[started.pk]))
    syntheses = Synthesis.objects.filter(process__in=processes).select_related("process")[:100]
    context = {"form": form, "syntheses": syntheses}
    return render_page(request, "consultations/backoffice/syntheses.html", context, status=400 if form.errors else 200)


def _detail(request: HttpRequest, found: Synthesis, **forms: object) -> HttpResponse:
    themes = list(
        found.themes.prefetch_related(
            Prefetch(
                "citations",
                Citation.objects.select_related("statement__conversation", "response", "question"),
            )
        )
    )
    rows = theme_rows(themes)
    theme_form = forms.get("theme_form")
    if isinstance(theme_form, ThemeForm):  # what the agent typed stays in the theme's fields
        for row in rows:
            if row.theme.pk == theme_form.instance.pk:
                row.theme.title = theme_form.data.get("title", "")
                row.theme.summary = theme_form.data.get("summary", "")
    context = {
        "synthesis": found,
        "themes": rows,
        "form": forms.get("form") or SynthesisForm(instance=found),
        "merge_form": forms.get("merge_form") or MergeForm(synthesis=found),
        "theme_form_errors": forms.get("theme_form"),
    }
    status = 400 if any(getattr(f, "errors", None) for f in forms.values()) else 200
    return render_page(request, "consultations/backoffice/synthesis.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def synthesis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _synthesis(request, pk)
    if request.method == "GET":
        return _detail(request, found)
    form = SynthesisForm(request.POST, instance=Synthesis.objects.get(pk=found.pk))
    if form.is_valid():
        try:
            synthesis.synthesis_edit(
                agent=actor(request),
                synthesis=found,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Synthèse enregistrée."))
            return redirect(reverse("consultations_admin:synthesis", args=[found.pk]))
    return _detail(request, found, form=form)


@staff_required
@require_POST
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme.objects.select_related("synthesis__process"), pk=pk)
    require(synthesis_rules.can_synthesise(request.user, theme.synthesis.process))
    form = ThemeForm(request.POST, instance=Theme.objects.get(pk=theme.pk))
    if form.is_valid():
        try:
            synthesis.theme_edit(
                agent=actor(request),
                theme=theme,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thème enregistré."))
            return redirect(reverse("consultations_admin:synthesis", args=[theme.synthesis_id]) + f"#theme-{theme.pk}")
    return _detail(request, theme.synthesis, theme_form=form)


@staff_required
@require_POST
def themes_merge(request: HttpRequest, pk: int) -> HttpResponse:
    found = _synthesis(request, pk)
    form = MergeForm(request.POST, synthesis=found)
    if form.is_valid():
        try:
            synthesis.themes_merge(
                agent=actor(request), into=form.cleaned_data["into"], merged=form.cleaned_data["merged"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thèmes fusionnés."))
            return redirect(reverse("consultations_admin:synthesis", args=[found.pk]))
    return _detail(request, found, merge_form=form)


@staff_required
@require_POST
def synthesis_publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = _synthesis(request, pk)
    try:
        synthesis.synthesis_publish(agent=actor(request), synthesis=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("consultations_admin:synthesis", args=[found.pk]))
    messages.success(request, _("Synthèse publiée."))
    return redirect(found.get_absolute_url())
