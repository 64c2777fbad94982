"""Issue 8, items 6 and 9: limits key on the client's real address, read through the trusted
proxies only (apps/core/clientip.py), so a city behind one reverse proxy is not one person,
and a forged ``X-Forwarded-For`` does not buy a fresh quota."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from apps.core.checks import trusted_proxies_are_addresses
from apps.core.clientip import client_ip
from apps.opendata.api.views import PublicApiThrottle

PROXY = "10.0.0.1"


def _ip(remote: str, forwarded: str | None = None) -> str:
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}  # WSGI environ entries, passed as **extra
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert _ip("198.51.100.7", "203.0.113.9") == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=[PROXY, "172.16.0.0/12"])
def test_the_first_untrusted_hop_from_the_right_is_the_client() -> None:
    assert _ip(PROXY, "203.0.113.9") == "203.0.113.9"
    # The client wrote the left part itself: never believed.
    assert _ip(PROXY, "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    # Two proxies of the city in a row (a load balancer, then nginx).
    assert _ip(PROXY, "203.0.113.9, 172.20.1.5") == "203.0.113.9"
    assert _ip(PROXY, " 2001:db8::1 ") == "2001:db8::1"
    # Not from a trusted proxy: the header is someone's invention.
    assert _ip("198.51.100.7", "203.0.113.9") == "198.51.100.7"
    # From the proxy but no usable header: the proxy itself (never a made-up value).
    assert _ip(PROXY) == PROXY
    assert _ip(PROXY, "pas-une-adresse") == PROXY


@override_settings(TRUSTED_PROXIES=["10.0.0.1", "pas-une-adresse"])
def test_a_malformed_trusted_proxy_is_a_system_check_error() -> None:
    assert [error.id for error in trusted_proxies_are_addresses()] == ["archipel.E002"]


def _login(client: Client, n: int, **headers: Any) -> int:
    return client.post(
        reverse("accounts:login"), {"email": f"personne{n}@example.org", "password": "mauvais"}, **headers
    ).status_code


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_one_person_hitting_the_limit_does_not_lock_out_the_next() -> None:
    first = Client(REMOTE_ADDR=PROXY)
    statuses = [_login(first, n, HTTP_X_FORWARDED_FOR="203.0.113.10") for n in range(30)]
    assert 429 in statuses
    # Another resident, through the same reverse proxy, is not blocked.
    assert _login(Client(REMOTE_ADDR=PROXY), 99, HTTP_X_FORWARDED_FOR="203.0.113.11") != 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[PROXY])
def test_a_forged_header_does_not_change_the_rate_limit_key() -> None:
    # Straight to the app server (not through the proxy), a new forged address each time.
    client = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [_login(client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(30)]
    assert 429 in statuses
    # Through the proxy, a forged left part does not help either.
    proxied = Client(REMOTE_ADDR=PROXY)
    statuses = [_login(proxied, n, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.50") for n in range(30)]
    assert 429 in statuses


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[PROXY])
def test_a_forged_header_does_not_change_the_api_throttle_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PublicApiThrottle, "rate", "2/min")
    url = reverse("api:territory-list")
    client = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [client.get(url, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    # Behind the trusted proxy, each resident has their own quota.
    proxied = Client(REMOTE_ADDR=PROXY)
    assert [proxied.get(url, HTTP_X_FORWARDED_FOR="203.0.113.20").status_code for _ in range(3)] == [200, 200, 429]
    assert proxied.get(url, HTTP_X_FORWARDED_FOR="203.0.113.21").status_code == 200
