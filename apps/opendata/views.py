"""Open data: the catalogue page and the streamed exports declared in module manifests."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.core.models import Process
from apps.core.registry import ExportSpec, all_exports
from apps.opendata.streaming import csv_lines, json_chunks

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def _spec(name: str, fmt: str) -> ExportSpec:
    spec = dict(all_exports()).get(name)
    if spec is None or fmt not in FORMATS:
        raise Http404
    return spec


def _stream(spec: ExportSpec, *, name: str, fmt: str, process: Process | None) -> StreamingHttpResponse:
    rows = spec.rows(process)
    chunks = csv_lines(spec.fields, rows) if fmt == "csv" else json_chunks(spec.fields, rows)
    response = StreamingHttpResponse(chunks, content_type=FORMATS[fmt])
    scope = f"{process.slug}-" if process is not None else ""
    filename = f"archipel-{scope}{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    processes = Process.objects.published().select_related("territory").order_by("title")
    return render(
        request,
        "opendata/index.html",
        {"exports": list(all_exports()), "processes": processes, "formats": list(FORMATS)},
    )


@require_safe
def export(request: HttpRequest, name: str, fmt: str) -> StreamingHttpResponse:
    return _stream(_spec(name, fmt), name=name, fmt=fmt, process=None)


@require_safe
def process_export(request: HttpRequest, slug: str, name: str, fmt: str) -> StreamingHttpResponse:
    spec = _spec(name, fmt)
    # Exports are public documents: a draft process has none, whoever asks.
    process = get_object_or_404(Process.objects.published(), slug=slug)
    return _stream(spec, name=name, fmt=fmt, process=process)
