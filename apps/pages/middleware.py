"""The French "page introuvable" in development too.

With ``DEBUG`` on, Django answers a missing page with its English debug page, which is what a
resident trying the demo city, a translator or the person checking the accessibility of the
404 page would meet. This middleware answers with the page production shows instead: for a URL
that matches no route (``resolver_match`` stays empty) and for a view raising ``Http404``. The
debug page is still one setting away: ``DEBUG_404_PAGE=1``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from apps.pages.views import page_not_found


def _applies() -> bool:
    return bool(settings.DEBUG) and not getattr(settings, "DEBUG_404_PAGE", False)


class FrenchNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 404 and _applies() and getattr(request, "resolver_match", None) is None:
            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and _applies():
            return page_not_found(request, exception)
        return None
