"""Public pages of a participatory evaluation: the cahier (web and PDF) and the pieces of the
evaluation file (always downloads, under the stored-file policy)."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from apps.core.pdf import pdf_download
from apps.core.uploads import STORED_FILE_CSP, stored_file_response
from apps.workshops import rules, selectors
from apps.workshops.cahier import cahier_of, cahier_pdf
from apps.workshops.evaluation_models import EvidenceFile
from apps.workshops.models import Workshop


def evaluation_context(request: HttpRequest, workshop: Workshop) -> dict[str, Any]:
    """What the workshop page adds for an evaluation: the evaluation, the pieces this person
    may open, and the link to the cahier when they may read it."""
    evaluation = getattr(workshop, "evaluation", None)
    pieces: list[EvidenceFile] = []
    if evaluation is not None:
        reserved = rules.can_download_evidence(request.user, workshop, is_public=False)
        queryset = evaluation.evidence.order_by("pk")
        pieces = list(queryset if reserved else queryset.filter(is_public=True))
    return {
        "evaluation": evaluation,
        "evidence": pieces,
        "can_view_cahier": rules.opinion_published(workshop) and rules.can_view_cahier(request.user, workshop),
    }


def _cahier_workshop(request: HttpRequest, slug: str) -> Workshop:
    workshop = selectors.workshop_by_slug(slug)
    if workshop is None or not rules.can_view_cahier(request.user, workshop):
        raise Http404
    return workshop


@require_GET
def cahier(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _cahier_workshop(request, slug)
    return render(
        request,
        "workshops/cahier.html",
        {
            "workshop": workshop,
            "process": workshop.process,
            "cahier": cahier_of(workshop),
            "preview": not rules.opinion_published(workshop),
        },
    )


@require_GET
def cahier_download(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = _cahier_workshop(request, slug)
    return pdf_download(cahier_pdf(cahier_of(workshop)), f"cahier-{workshop.slug[:80]}.pdf")


@require_GET
@csp(STORED_FILE_CSP)  # type: ignore[arg-type]  # django-csp types views as (request) only
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    piece = get_object_or_404(EvidenceFile.objects.select_related("evaluation__workshop__process"), pk=pk)
    if not rules.can_download_evidence(request.user, piece.evaluation.workshop, is_public=piece.is_public):
        raise Http404
    try:
        handle = piece.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return stored_file_response(handle, name=piece.file.name, download_name=f"{slugify(piece.title) or 'piece'}.pdf")
