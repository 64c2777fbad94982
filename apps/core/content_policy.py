"""django-csp's middleware, with the site's Content-Security-Policy built once per process.

django-csp builds the header from the settings at every response (``csp.utils.build_policy``,
for the policy and again for the report-only one: a walk over thirty directives, copies of
their lists, two dataclass conversions). The site's policy (``CONTENT_SECURITY_POLICY``) has
no nonce, so that string is the same for every response until the settings change: on the
ballot POST of voting day, rebuilding it was ≈ 4 % of the request's CPU. Here it is built
once, by django-csp's own ``build_policy``, and kept until a test changes the settings.

A response that django-csp would treat differently goes through django-csp unchanged: a view
that dressed its policy (``@csp``, ``@csp_update``, ``@csp_replace``, ``@csp_exempt``, for
instance the stored files' stricter policy), a request that asked for a nonce, a response that
already carries a policy header, any response under ``DEBUG`` (django-csp leaves the debug 404
and 500 pages alone), and every response when a policy excludes URL prefixes.
"""

from __future__ import annotations

import functools
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase

POLICY_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")

# The response attributes through which django-csp's decorators change a view's policy.
VIEW_POLICY_ATTRIBUTES = frozenset(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)


@functools.cache
def site_headers() -> tuple[tuple[str, str], ...] | None:
    """The site's policy headers, (name, value), as django-csp builds them for a response that
    no view dressed; None when a policy excludes URL prefixes (django-csp then decides per URL)."""
    if any((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") for name in POLICY_SETTINGS):
        return None
    built = ((HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True)))
    return tuple((name, value) for name, value in built if value)


def _clear(*, setting: str, **_kwargs: Any) -> None:
    if setting in POLICY_SETTINGS:
        site_headers.cache_clear()


setting_changed.connect(_clear, dispatch_uid="apps.core.content_policy.clear")


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's ``CSPMiddleware``, answering the common case from :func:`site_headers`."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        headers = site_headers()
        if (
            headers is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or not VIEW_POLICY_ATTRIBUTES.isdisjoint(response.__dict__)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
        ):
            return super().process_response(request, response)
        for name, value in headers:
            response[name] = value
        # As django-csp: a nonce asked for once the header is written is an error, not a
        # nonce missing from the policy.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
