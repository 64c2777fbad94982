"""The public page of a published synthesis: its themes, quotes and cited contributions, and how
it was made (method and limits)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from apps.consultations.synthesis import rules
from apps.consultations.synthesis.method import method
from apps.consultations.synthesis.models import Citation, Synthesis
from apps.consultations.synthesis.presentation import theme_rows


@require_http_methods(["GET"])
def synthesis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = Synthesis.objects.select_related("process__territory").filter(pk=pk).first()
    if synthesis is None or not rules.can_view_synthesis(request.user, synthesis):
        raise Http404
    citations = Citation.objects.select_related("statement__conversation", "response", "question")
    themes = list(synthesis.themes.prefetch_related(Prefetch("citations", citations)))
    context = {
        "synthesis": synthesis,
        "process": synthesis.process,
        "themes": theme_rows(themes),
        "method": method(synthesis),
        "can_edit": rules.can_synthesise(request.user, synthesis.process),
    }
    return render(request, "consultations/synthesis.html", context)
