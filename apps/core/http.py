"""Small HTTP helpers shared by the apps' views."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The ``next`` parameter when it is a path of this site, ``default`` otherwise.

    Only absolute paths are accepted: ``redirect()`` would try to resolve anything else
    (« ² », « home ») as a view name and answer a 500."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
