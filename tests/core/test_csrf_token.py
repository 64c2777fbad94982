"""The page's CSRF token masked by apps.core.csrf: the token Django would make, in a few calls."""

from __future__ import annotations

from collections import Counter

import pytest
from django.http import HttpRequest
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, not in the stubs
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _check_token_format,
    _unmask_cipher_token,
)
from django.test import Client

from apps.core import csrf


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
