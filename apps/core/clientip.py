"""The client's address, as rate limits and throttles must see it.

Behind the reverse proxy the README prescribes, ``REMOTE_ADDR`` is the proxy for everyone:
keyed on it, five sign-ups an hour would be five for the whole city. The proxies the city
runs are listed in ``TRUSTED_PROXIES``; ``X-Forwarded-For`` is read from the right (each
proxy appends the address it received the request from), skipping those trusted proxies,
and the first address that is not one of them is the client. Whatever a client writes
on the left of that header is never believed, so a forged header cannot choose the key.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The first address, from the right, that is not a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    peer = _parse(remote)
    if peer is None or not networks or not _trusted(peer, networks):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # Garbage in the chain after the trusted proxies: stop at the last address we trust.
            break
        if not _trusted(address, networks):
            return str(address)
        remote = str(address)
    # Every hop is a trusted proxy (or the header is missing): the innermost one we can name.
    return remote
