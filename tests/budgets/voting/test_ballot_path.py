"""The ballot POST's shorter path (archipel/ballot_path.py, issue 15): taken by the ballot POST
only, through the production WSGI application; same ballot, same security headers, same CSRF
and host checks as the full middleware chain; same resolver match as Django's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils.module_loading import import_string

from apps.accounts.models import User
from apps.budgets.models import Budget, Envelope, VoterRecord
from apps.budgets.voting import ballots
from archipel.ballot_path import BALLOT_SKIPPED_MIDDLEWARE, BallotRoute, SiteApplication, ballot_middleware
from tests.security.test_security_headers import assert_site_headers

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.body = body

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


@pytest.fixture
def app() -> Iterator[SiteApplication]:
    # As Django's test client does: the test's transaction must survive the request signals.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield SiteApplication(WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _call(app: Callable[..., Any], environ: dict[str, Any]) -> Answer:
    started: list[Any] = []
    chunks = app(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
    try:
        body = b"".join(chunks)
    finally:
        chunks.close()
    return Answer(started[0][0], started[0][1], body)


def _post_environ(url: str, client: Client, data: dict[str, Any], *, csrf: bool = True, **extra: Any) -> dict[str, Any]:
    token = "a" * 32
    cookies = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    if csrf:
        cookies += f"; {settings.CSRF_COOKIE_NAME}={token}"
        extra["HTTP_X_CSRFTOKEN"] = token
    request = RequestFactory().post(url, data, HTTP_COOKIE=cookies, **extra)
    return dict(request.environ)


def _ballot_url(budget: Budget, envelope: Envelope) -> str:
    return reverse("budgets:ballot", kwargs={"slug": budget.process.slug, "envelope_pk": envelope.pk})


def test_the_short_chain_leaves_out_only_what_a_ballot_never_needs() -> None:
    kept = ballot_middleware()
    assert kept == [path for path in settings.MIDDLEWARE if path not in BALLOT_SKIPPED_MIDDLEWARE]
    assert len(kept) == len(settings.MIDDLEWARE) - 3
    for guard in (
        "django.middleware.security.SecurityMiddleware",
        "apps.core.content_policy.SitePolicyCSPMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "apps.core.params.RejectNulBytesMiddleware",
        "apps.core.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django_ratelimit.middleware.RatelimitMiddleware",
    ):
        assert guard in kept


@pytest.mark.django_db
def test_the_route_gives_what_djangos_resolver_gives(budget: Budget, city_envelope: Envelope) -> None:
    route = BallotRoute()
    url = _ballot_url(budget, city_envelope)
    ours, django = route.match(url), resolve(url)
    assert ours is not None
    assert (ours.func, ours.args, ours.kwargs, ours.url_name, ours.namespaces, ours.route, ours.view_name) == (
        django.func,
        django.args,
        django.kwargs,
        django.url_name,
        django.namespaces,
        django.route,
        django.view_name,
    )
    assert ours.kwargs["envelope_pk"] == city_envelope.pk  # converted, as the int converter does
    for other in (url.rstrip("/"), url + "recu/", "/budgets/x/vote/abc/", "/budgets/a b/vote/1/", "/"):
        assert route.match(other) is None, other


@pytest.mark.django_db
def test_only_the_ballot_post_takes_the_short_path(
    app: SiteApplication, budget: Budget, city_envelope: Envelope, make_voter: Callable[..., User]
) -> None:
    url = _ballot_url(budget, city_envelope)
    factory = RequestFactory()
    assert app.takes(dict(factory.post(url, {}).environ))
    assert not app.takes(dict(factory.get(url).environ))
    assert not app.takes(dict(factory.post(url + "recu/", {}).environ))
    assert not app.takes(dict(factory.post(url.rstrip("/"), {}).environ))
    check = reverse("budgets:receipt_check", kwargs={"slug": budget.process.slug})
    assert not app.takes(dict(factory.post(check, {}).environ))


@pytest.mark.django_db
def test_a_ballot_through_the_short_path_is_recorded_with_every_security_header(
    app: SiteApplication,
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    url = _ballot_url(budget, city_envelope)
    a, b = (p.pk for p in ballots.ballot_projects(city_envelope)[:2])
    short_voter, full_voter = make_voter(), make_voter()
    data = {"action": "confirm", "projets": [a, b]}

    short = _call(app, _post_environ(url, client_for(short_voter), data))
    full = _call(app.site, _post_environ(url, client_for(full_voter), data))

    receipt = reverse("budgets:receipt", kwargs={"slug": budget.process.slug, "envelope_pk": city_envelope.pk})
    assert (short.status_code, short.headers["Location"]) == (302, receipt)
    assert (full.status_code, full.headers["Location"]) == (302, receipt)
    assert VoterRecord.objects.filter(envelope=city_envelope, user__in=[short_voter, full_voter]).count() == 2
    for header in SECURITY_HEADERS:
        assert short.headers.get(header), header
        assert short.headers[header] == full.headers[header], header
    assert short.headers["X-Frame-Options"] == "DENY"
    assert_site_headers(short, "ballot POST, short path")  # type: ignore[arg-type]
    assert short.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_short_path_keeps_the_csrf_and_host_checks(
    app: SiteApplication,
    budget: Budget,
    city_envelope: Envelope,
    make_voter: Callable[..., User],
    client_for: Callable[[User | None], Client],
) -> None:
    url = _ballot_url(budget, city_envelope)
    first = ballots.ballot_projects(city_envelope)[0].pk
    voter = make_voter()
    client = client_for(voter)
    data = {"action": "confirm", "projets": [first]}

    no_token = _call(app, _post_environ(url, client, data, csrf=False))
    assert no_token.status_code == 403
    assert_site_headers(no_token, "ballot POST without CSRF token, short path")  # type: ignore[arg-type]
    assert "text/html" in no_token.headers["Content-Type"]

    bad_host = _call(app, _post_environ(url, client, data, HTTP_HOST="evil.example.org"))
    full_bad_host = _call(app.site, _post_environ(url, client, data, HTTP_HOST="evil.example.org"))
    assert bad_host.status_code == full_bad_host.status_code == 400

    assert not VoterRecord.objects.filter(user=voter).exists()


def _loaded_middleware(handler: WSGIHandler) -> list[type[Any]]:
    """The classes of the middleware a handler loaded, outermost first (each one is wrapped by
    Django's ``convert_exception_to_response`` and holds the next one as ``get_response``)."""
    found: list[type[Any]] = []
    node: Any = vars(handler)["_middleware_chain"]
    while (instance := getattr(node, "__wrapped__", node)) is not None and hasattr(instance, "get_response"):
        found.append(type(instance))
        node = instance.get_response
    return found


@pytest.mark.django_db
def test_the_handler_loads_the_short_chain_and_leaves_the_settings_as_they_were() -> None:
    before = list(settings.MIDDLEWARE)
    app = SiteApplication(WSGIHandler())
    assert list(settings.MIDDLEWARE) == before

    full, short = _loaded_middleware(app.site), _loaded_middleware(app.ballot)
    skipped = {import_string(path) for path in BALLOT_SKIPPED_MIDDLEWARE}
    assert skipped <= set(full)
    assert short == [cls for cls in full if cls not in skipped]
    assert len(short) == len(full) - len(skipped) >= 10


@pytest.mark.django_db
def test_a_copy_of_the_process_environment_never_reaches_the_request(
    app: SiteApplication, budget: Budget, city_envelope: Envelope
) -> None:
    # granian copies os.environ into every request's environ; gunicorn does not.
    process = {"DATABASE_URL": "postgres://archipel:mot-de-passe@db/archipel", "HTTP_X_TRACE": "env", "TZ": "UTC"}
    application = SiteApplication(WSGIHandler(), environment=process)
    seen: list[dict[str, Any]] = []

    def capture(sender: Any, environ: dict[str, Any], **kwargs: Any) -> None:
        seen.append(dict(environ))

    request_started.connect(capture)
    try:
        for url in (_ballot_url(budget, city_envelope), "/"):
            environ = dict(RequestFactory().get(url).environ)
            environ.update(process, TZ="Europe/Paris")  # as the server copied it; TZ changed since
            answer = _call(application, environ)
            assert answer.status_code in (200, 302)
    finally:
        request_started.disconnect(capture)
    assert len(seen) == 2
    for environ in seen:
        assert "DATABASE_URL" not in environ
        assert environ["HTTP_X_TRACE"] == "env"  # a header's key belongs to the request
        assert environ["TZ"] == "Europe/Paris"  # not the value the process started with
        assert environ["PATH_INFO"] in ("/", _ballot_url(budget, city_envelope))
