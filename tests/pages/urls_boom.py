"""The project's URLs plus a view that fails, to see the 500 page (tests only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from archipel.urls import handler400, handler403, handler404, handler500
from archipel.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the database is on fire")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
