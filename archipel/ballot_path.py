"""The ballot POST of voting day through a shorter path (issue 15): fewer middleware, no URL search.

On voting day nearly every request is the same one, ``POST /budgets/<slug>/vote/<envelope>/``,
answered by a 302 to the receipt. :class:`SiteApplication` (``archipel.wsgi.application``)
sends that request to a second Django handler, built once per worker, whose middleware chain
leaves out what this request never needs (``BALLOT_SKIPPED_MIDDLEWARE``):

- WhiteNoise: the ballot URL is not a static file;
- ``CommonMiddleware``: the fast path only takes URLs that already end with a slash, and the
  host check it triggers is done here (:meth:`BallotHandler.resolve_request`);
- ``MessageMiddleware``: the ballot view sends no flash message (the receipt says the vote is
  recorded), and the pages it can render read messages through the context processor, which
  tolerates their absence.

Everything that guards the request or dresses its answer stays, in the same order: security
headers (HSTS, nosniff, referrer policy, CSP, Permissions-Policy, X-Frame-Options), session,
language, French typography of an HTML answer (the form back with an error), the NUL-byte
guard, CSRF, authentication, the rate limit's 429 and the French 404 of development.

The chain is loaded by Django's own loader from ``settings.MIDDLEWARE``, which is never
changed: the handler answers ``MiddlewareNotUsed`` for the skipped ones when the loader adapts
each middleware (:meth:`BallotHandler.adapt_method_mode`).

The handler does not search the URL patterns either: the route of the ballot URL, read once from
the URLconf (``reverse`` then ``resolve``), converts the path and gives the same view, keyword
arguments and names as Django's resolver would (a path it does not take goes the usual way).
Any other request, including a GET of the ballot page, goes through the full chain.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest
from django.urls import ResolverMatch, resolve, reverse
from django.urls.resolvers import RoutePattern

BALLOT_URL_NAME = "budgets:ballot"

BALLOT_SKIPPED_MIDDLEWARE = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    }
)

StartResponse = Callable[..., Any]


def ballot_middleware() -> list[str]:
    """The site's middleware, in its order, without the ones the ballot POST never needs."""
    return [path for path in settings.MIDDLEWARE if path not in BALLOT_SKIPPED_MIDDLEWARE]


class BallotRoute:
    """The ballot URL's route (``budgets/<slug:slug>/vote/<int:envelope_pk>/``), as the URLconf
    mounts it, and the names Django's resolver gives its match."""

    def __init__(self) -> None:
        sample = resolve(reverse(BALLOT_URL_NAME, kwargs={"slug": "budget", "envelope_pk": 1}))
        self.sample = sample
        self.pattern = RoutePattern(sample.route, is_endpoint=True)

    def match(self, path: str) -> ResolverMatch | None:
        found = self.pattern.match(path[1:]) if path.startswith("/") else None
        if found is None or found[0]:
            return None
        sample = self.sample
        return ResolverMatch(
            sample.func,
            (),
            found[2],
            url_name=sample.url_name,
            app_names=list[str | None](sample.app_names),
            namespaces=list[str | None](sample.namespaces),
            route=sample.route,
            captured_kwargs=found[2],
        )


class BallotHandler(WSGIHandler):
    """Django's WSGI handler with the ballot's middleware chain and route."""

    def __init__(self, route: BallotRoute) -> None:
        self.route = route
        super().__init__()  # loads the middleware

    def adapt_method_mode(
        self,
        is_async: bool,
        method: Callable[..., Any],
        method_is_async: bool | None = None,
        debug: bool = False,
        name: str | None = None,
    ) -> Callable[..., Any]:
        # Django's loader (``load_middleware``, unchanged) asks this of every middleware of
        # settings.MIDDLEWARE, named "middleware <path>", before it builds it, and leaves out a
        # middleware that raises MiddlewareNotUsed there (Django's own way to drop one at start-up):
        # the settings are never touched.
        if name is not None and name.removeprefix("middleware ") in BALLOT_SKIPPED_MIDDLEWARE:
            raise MiddlewareNotUsed(f"{name}: not on the ballot POST's path")
        return super().adapt_method_mode(is_async, method, method_is_async, debug=debug, name=name)

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        # CommonMiddleware is skipped: validating the Host header (ALLOWED_HOSTS) is kept.
        request.get_host()
        match = self.route.match(request.path_info)
        if match is None:
            return super().resolve_request(request)
        request.resolver_match = match
        return match


# What a server sets in a request's environ itself (PEP 3333, CGI), never taken for a copy of
# the process environment even when the process has a variable of that name.
REQUEST_KEYS = frozenset(
    {
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "PATH_INFO",
        "QUERY_STRING",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "SERVER_SOFTWARE",
        "GATEWAY_INTERFACE",
        "REMOTE_ADDR",
        "REMOTE_HOST",
        "REMOTE_PORT",
    }
)


class ProcessEnvironmentFilter:
    """Takes the process environment back out of a request's environ.

    granian (the voting-day server, docs/VOTING_DAY.md) starts every request's environ from a
    copy of ``os.environ``: ``SECRET_KEY``, ``DATABASE_URL`` with its password, ``REDIS_URL``
    would reach ``request.META``, hence every error report and anything that prints it
    (Django's filter of sensitive META keys does not match ``DATABASE_URL``). gunicorn copies
    nothing (the filter then finds nothing to remove). A key is removed when the process had a
    variable of that name **and the same value** at start-up, and it is none of the keys a
    request carries (headers ``HTTP_*``, the CGI keys, ``wsgi.*``)."""

    def __init__(self, environment: Mapping[str, str]) -> None:
        self.environment = {
            key: value
            for key, value in environment.items()
            if key not in REQUEST_KEYS and not key.startswith(("HTTP_", "wsgi."))
        }
        self.names = frozenset(self.environment)

    def __call__(self, environ: dict[str, Any]) -> None:
        for key in self.names.intersection(environ):
            if environ[key] == self.environment[key]:
                del environ[key]


class SiteApplication:
    """The WSGI application: ballot POSTs through :class:`BallotHandler`, the rest through
    Django's handler with every middleware; the process environment a server copied into the
    request's environ is taken out first (:class:`ProcessEnvironmentFilter`)."""

    def __init__(self, site: WSGIHandler, environment: Mapping[str, str] | None = None) -> None:
        self.site = site
        self.route = BallotRoute()
        self.ballot = BallotHandler(self.route)
        self.without_process_environment = ProcessEnvironmentFilter(os.environ if environment is None else environment)

    def takes(self, environ: dict[str, Any]) -> bool:
        if environ.get("REQUEST_METHOD") != "POST":
            return False
        # PATH_INFO as the server decoded it (latin-1); a ballot URL is ASCII either way.
        return self.route.pattern.match(str(environ.get("PATH_INFO", ""))[1:]) is not None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        self.without_process_environment(environ)
        handler = self.ballot if self.takes(environ) else self.site
        return handler(environ, start_response)
