from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from apps.core.models import Process, Territory


def home(request: HttpRequest) -> HttpResponse:
    processes = Process.objects.published().select_related("territory").prefetch_related("phases")[:12]
    return render(request, "pages/home.html", {"processes": processes})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def process_list(request: HttpRequest) -> HttpResponse:
    processes = Process.objects.published().select_related("territory").prefetch_related("phases")
    return render(request, "pages/process_list.html", {"processes": processes})


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_object_or_404(Process.objects.published().select_related("territory"), slug=slug)
    return render(request, "pages/process_detail.html", {"process": process})


def territory_detail(request: HttpRequest, slug: str) -> HttpResponse:
    territory = get_object_or_404(Territory, slug=slug)
    return render(request, "pages/territory_detail.html", {"territory": territory})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
