"""System checks that refuse a production configuration which would quietly misbehave."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.checks.security import csrf as django_csrf_checks

SITE_CSRF_MIDDLEWARE = "apps.core.csrf.CsrfViewMiddleware"
DJANGO_CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"


@register(Tags.caches, Tags.security)
def redis_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Without Redis, rate limits, sessions and the cache live in each process's memory:
    with several gunicorn workers a limit of 5 becomes 5 per worker, and nothing says so."""
    if getattr(settings, "PRODUCTION", False) and not getattr(settings, "REDIS_URL", ""):
        return [
            Error(
                "REDIS_URL is not set in production: rate limits, sessions and the cache would be per process.",
                hint="Set REDIS_URL=redis://host:6379/0 (see the README, section Production).",
                id="archipel.E001",
            )
        ]
    return []


@register(Tags.security)
def trusted_proxies_are_addresses(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for entry in getattr(settings, "TRUSTED_PROXIES", []):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXIES holds {entry!r}, which is neither an IP address nor a CIDR range.",
                    hint="Example: TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8",
                    id="archipel.E002",
                )
            )
    return errors


@register()
def theme_is_usable(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A city theme with an unreadable primary colour or a malformed value (apps/core/theme.py)."""
    from apps.core.theme import theme_errors

    return [
        Error(message, hint="See THEME in archipel/settings.py and the README.", id="archipel.E020")
        for message in theme_errors(getattr(settings, "THEME", {}))
    ]


@register(Tags.security, deploy=True)
def csrf_middleware(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Django's security.W003 (no CSRF middleware) and W016 (its cookie not secure-only), for
    the site's CSRF middleware: Django finds its own by its dotted path only, so it would never
    warn about the cookie of the subclass, and W003 is silenced in the settings. Django's
    middleware listed instead of the site's: its own W016 applies, nothing to add here."""
    middleware = settings.MIDDLEWARE
    if SITE_CSRF_MIDDLEWARE not in middleware:
        if DJANGO_CSRF_MIDDLEWARE in middleware:
            return []
        return [Warning(django_csrf_checks.W003.msg, id="archipel.W003")]
    if not settings.CSRF_USE_SESSIONS and settings.CSRF_COOKIE_SECURE is not True:
        return [Warning(django_csrf_checks.W016.msg, id="archipel.W016")]
    return []
