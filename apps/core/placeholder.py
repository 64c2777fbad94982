"""Temporary placeholder view used while the foundation is being built."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("à venir")
