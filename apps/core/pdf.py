"""A4 documents in French built with reportlab (answer letters, attestations, cahiers): the page
set-up they share, with uncompressed pages so that the text stays searchable and checkable."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, SimpleDocTemplate


def a4_pdf(
    story: Sequence[Flowable],
    *,
    title: str,
    author: str,
    side_cm: float = 2.0,
    top_cm: float = 2.0,
    bottom_cm: float = 2.0,
    **metadata: Any,
) -> bytes:
    """The PDF of ``story`` on A4 pages; ``metadata`` goes to the document (e.g. ``subject``)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=side_cm * cm,
        rightMargin=side_cm * cm,
        topMargin=top_cm * cm,
        bottomMargin=bottom_cm * cm,
        title=title,
        author=author,
        lang="fr-FR",
        pageCompression=0,
        **metadata,
    )
    document.build(list(story))
    return buffer.getvalue()


def pdf_download(content: bytes, filename: str, *, cache_control: str = "") -> HttpResponse:
    """``content`` as a PDF file to save (never rendered inline as something else);
    ``cache_control`` ("private, no-store") for a document about one person."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if cache_control:
        response["Cache-Control"] = cache_control
    return response
