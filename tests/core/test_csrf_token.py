"""The page's CSRF token masked by apps.core.csrf: the token Django would make, in a few calls."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, not in the stubs
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    RejectRequest,
    _check_token_format,
    _unmask_cipher_token,
)
from django.middleware.csrf import CsrfViewMiddleware as DjangoCsrfViewMiddleware
from django.test import Client, RequestFactory, override_settings

from apps.core import csrf
from apps.core.checks import csrf_middleware


def test_the_token_unmasks_to_the_cookie_secret_with_a_new_mask_each_time() -> None:
    request = HttpRequest()
    request.META["CSRF_COOKIE"] = secret = csrf.random_chars(CSRF_SECRET_LENGTH)
    first, second = csrf.get_token(request), csrf.get_token(request)
    for token in (first, second):
        _check_token_format(token)  # raises on a wrong length or character
        assert _unmask_cipher_token(token) == secret
    assert first != second and first[:CSRF_SECRET_LENGTH] != second[:CSRF_SECRET_LENGTH]
    assert request.META["CSRF_COOKIE"] == secret and request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_visitor_without_a_cookie_gets_a_new_secret() -> None:
    request = HttpRequest()
    token = csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == CSRF_SECRET_LENGTH and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _unmask_cipher_token(token) == secret


def test_the_random_characters_are_uniform() -> None:
    # 2,000 expected per character (standard deviation ~44): folding every byte modulo 62
    # would give the first eight characters ~2,500.
    counts = Counter(csrf.random_chars(len(CSRF_ALLOWED_CHARS) * 2000))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert all(1750 < count < 2250 for count in counts.values()), counts.most_common(3)


@pytest.mark.django_db
def test_a_page_prints_a_token_of_its_cookie_which_a_post_passes() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.get("/")
    html = response.content.decode()
    token = html.split('"X-CSRFToken": "')[1].split('"')[0]
    assert _unmask_cipher_token(token) == response.cookies["csrftoken"].value
    # The middleware checks the token before the view (which may refuse a POST anyway).
    assert client.post("/", {"csrfmiddlewaretoken": token}).status_code != 403
    assert client.post("/", {"csrfmiddlewaretoken": "x" * 64}).status_code == 403


# --- the site's CSRF middleware: Django's decision on every token ---------------------------


def _outcome(middleware: Any, request: HttpRequest) -> str:
    try:
        middleware._check_token(request)
    except RejectRequest as refusal:
        return f"refused: {refusal.reason}"
    return "accepted"


def _request(method: str, cookie: str | None, field: str | None, header: str | None) -> HttpRequest:
    data = {} if field is None else {"csrfmiddlewaretoken": field, "projets": "1"}
    factory = RequestFactory()
    request = factory.generic(method, "/budgets/b/vote/1/", urlencode(data), "application/x-www-form-urlencoded")
    if cookie is not None:
        request.COOKIES[settings.CSRF_COOKIE_NAME] = cookie
    if header is not None:
        request.META[settings.CSRF_HEADER_NAME] = header
    return request


def test_the_site_middleware_decides_as_djangos_on_every_token() -> None:
    secret = csrf.random_chars(CSRF_SECRET_LENGTH)
    other = csrf.random_chars(CSRF_SECRET_LENGTH)
    masked, masked_other = csrf._masked(secret), csrf._masked(other)
    cases: list[tuple[str, str | None, str | None, str | None]] = [
        ("POST", secret, masked, None),  # the form of every page
        ("POST", secret, masked_other, None),
        ("POST", other, masked, None),
        ("POST", secret, secret, None),  # an unmasked token in the field
        ("POST", secret, other, None),
        ("POST", secret, None, masked),  # the htmx header
        ("POST", secret, "", secret),
        ("POST", secret, None, masked_other),
        ("POST", secret, None, None),
        ("POST", None, masked, None),
        ("POST", "court", masked, None),
        ("POST", secret[:-1] + "-", masked, None),
        ("POST", csrf._masked(secret), masked, None),  # a cookie of Django < 4.0, masked
        ("POST", secret, masked[:-1] + "\u0663", None),  # an Arabic-Indic digit
        ("POST", secret, masked[:-1] + "\x00", None),
        ("POST", secret, masked[:-1] + "é", None),
        ("POST", secret, masked + "a", None),
        ("POST", secret, masked[:-1], None),
        ("POST", secret, "9" * 100_000, None),
        ("POST", secret, masked.swapcase(), None),
        ("POST", secret, masked[CSRF_SECRET_LENGTH:] + masked[:CSRF_SECRET_LENGTH], None),
        ("PUT", secret, None, masked),
        ("PUT", secret, None, None),
    ]
    seen = set()
    for case in cases:
        ours = _outcome(csrf.CsrfViewMiddleware(lambda request: HttpResponse()), _request(*case))
        django = _outcome(DjangoCsrfViewMiddleware(lambda request: HttpResponse()), _request(*case))
        assert ours == django, case
        seen.add(ours.split(":")[0])
    assert seen == {"accepted", "refused"}
    assert _outcome(csrf.CsrfViewMiddleware(lambda request: HttpResponse()), _request(*cases[0])) == "accepted"
    assert _outcome(csrf.CsrfViewMiddleware(lambda request: HttpResponse()), _request(*cases[1])).startswith("refused")


def test_unmask_is_djangos_unmasking() -> None:
    for _round in range(200):
        token = csrf._masked(csrf.random_chars(CSRF_SECRET_LENGTH))
        assert csrf.unmask(token) == _unmask_cipher_token(token)
    assert csrf.unmask(token[:-1] + "\x00") == ""


@pytest.mark.django_db
def test_a_form_without_its_token_is_refused_by_the_site() -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.get("/")  # the page sets the cookie
    assert strict.post("/budgets/budget-inconnu/vote/1/", {"action": "confirm"}).status_code == 403
    assert "apps.core.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.csrf.CsrfViewMiddleware" not in settings.MIDDLEWARE


def test_the_deploy_checks_of_django_hold_for_the_site_middleware() -> None:
    with override_settings(CSRF_COOKIE_SECURE=False, CSRF_USE_SESSIONS=False):
        assert [m.id for m in csrf_middleware()] == ["archipel.W016"]
    with override_settings(CSRF_COOKIE_SECURE=True):
        assert csrf_middleware() == []
    without = [path for path in settings.MIDDLEWARE if path != "apps.core.csrf.CsrfViewMiddleware"]
    with override_settings(MIDDLEWARE=without):
        assert [m.id for m in csrf_middleware()] == ["archipel.W003"]
    djangos = [*without, "django.middleware.csrf.CsrfViewMiddleware"]
    with override_settings(MIDDLEWARE=djangos, CSRF_COOKIE_SECURE=False):
        assert csrf_middleware() == []  # Django's own W016 applies then
    assert "security.W003" in settings.SILENCED_SYSTEM_CHECKS
