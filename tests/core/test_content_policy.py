"""The site's Content-Security-Policy built once per process (apps/core/content_policy.py): every
response gets exactly the headers django-csp's own middleware gives it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp, csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.conf import settings as django_settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory
from pytest_django import Settings

from apps.core import content_policy
from apps.core.content_policy import SitePolicyCSPMiddleware
from apps.core.uploads import STORED_FILE_CSP

View = Callable[[HttpRequest], HttpResponseBase]
POLICY_HEADERS = (HEADER, HEADER_REPORT_ONLY)


def _plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>Bonjour</p>")


def _asks_a_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")  # type: ignore[attr-defined]


def _already_dressed(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("")
    response[HEADER] = "default-src 'none'"
    return response


VIEWS: dict[str, View] = {
    "plain": _plain,
    "nonce": _asks_a_nonce,
    "header set by the view": _already_dressed,
    "@csp": csp(STORED_FILE_CSP)(_plain),
    "@csp_update": csp_update({"img-src": ["https://images.example.org"]})(_plain),
    "@csp_replace": csp_replace({"img-src": [SELF]})(_plain),
    "@csp_exempt": csp_exempt()(_plain),
    "@csp report-only": csp({"default-src": [SELF]}, REPORT_ONLY=True)(_plain),
}


def _respond(middleware_class: type[CSPMiddleware], view: View, request: HttpRequest) -> HttpResponseBase:
    response = middleware_class(view)(request)
    assert isinstance(response, HttpResponseBase)  # a synchronous chain
    return response


def _headers(middleware_class: type[CSPMiddleware], view: View, path: str = "/budgets/") -> dict[str, str]:
    response = _respond(middleware_class, view, RequestFactory().get(path))
    return {name: response[name] for name in POLICY_HEADERS if name in response}


def _same_as_django_csp(path: str = "/budgets/") -> None:
    def without_nonce(headers: dict[str, str]) -> dict[str, str]:  # a fresh one at each request
        return {name: re.sub(r"'nonce-[^']+'", "'nonce-…'", value) for name, value in headers.items()}

    for label, view in VIEWS.items():
        ours, theirs = _headers(SitePolicyCSPMiddleware, view, path), _headers(CSPMiddleware, view, path)
        assert without_nonce(ours) == without_nonce(theirs), label


def test_every_response_gets_the_headers_django_csp_gives_it() -> None:
    _same_as_django_csp()
    plain = _headers(SitePolicyCSPMiddleware, _plain)
    assert "script-src 'self'" in plain[HEADER] and HEADER_REPORT_ONLY not in plain
    assert _headers(SitePolicyCSPMiddleware, VIEWS["@csp"])[HEADER] != plain[HEADER]  # the stricter one


def test_the_policy_is_built_once_then_follows_the_settings(settings: Settings) -> None:
    content_policy.site_headers.cache_clear()
    first = content_policy.site_headers()
    assert content_policy.site_headers() is first  # not rebuilt
    directives = dict(django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "img-src": [SELF]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [NONCE]}}
    plain = _headers(SitePolicyCSPMiddleware, _plain)
    # django-csp lists the directives in no fixed order.
    assert "img-src 'self'" in plain[HEADER].split("; ")
    assert set(plain[HEADER_REPORT_ONLY].split("; ")) == {"default-src 'self'", "script-src"}
    _same_as_django_csp()
    nonce = _headers(SitePolicyCSPMiddleware, _asks_a_nonce)
    assert "script-src 'nonce-" in nonce[HEADER_REPORT_ONLY]  # a nonce is never served from the cache


def test_excluded_prefixes_and_debug_pages_are_left_to_django_csp(settings: Settings) -> None:
    settings.CONTENT_SECURITY_POLICY = {
        **django_settings.CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": ["/django-admin/"],
    }
    assert content_policy.site_headers() is None
    assert _headers(SitePolicyCSPMiddleware, _plain, "/django-admin/login/") == {}
    _same_as_django_csp("/django-admin/login/")
    _same_as_django_csp()

    settings.DEBUG = True
    not_found = RequestFactory().get("/pas-de-page/")
    response = _respond(SitePolicyCSPMiddleware, lambda request: HttpResponse(status=404), not_found)
    assert HEADER not in response  # django-csp leaves Django's debug page alone


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error() -> None:
    request = RequestFactory().get("/budgets/")
    _respond(SitePolicyCSPMiddleware, _plain, request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]
