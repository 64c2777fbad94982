"""Every URL for every persona, driven by the table in :mod:`tests.security.url_matrix`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.models import User
from tests.conftest import Response
from tests.security.matrix_base import PERSONAS, Route
from tests.security.url_matrix import EXCLUDED_PREFIXES, ROUTES
from tests.security.world import World, changes_data, fingerprint, row_writes


def iter_url_patterns(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(namespaced name, route) of every URL pattern, recursively through includes.
    Unnamed patterns are reported by their route so that they cannot hide."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_url_patterns(entry.url_patterns, route, inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {route}>"
            yield name, route


def _excluded(route: str) -> bool:
    return route.lstrip("^").startswith(EXCLUDED_PREFIXES)


def existing_names() -> set[str]:
    return {name for name, route in iter_url_patterns() if not _excluded(route)}


def test_every_url_is_in_the_matrix() -> None:
    listed = {route.name for route in ROUTES}
    missing = sorted(existing_names() - listed)
    assert not missing, f"URL names missing from tests/security/url_matrix.py: {missing}"


def test_matrix_lists_no_stale_route() -> None:
    stale = sorted({route.name for route in ROUTES} - existing_names())
    assert not stale, f"The matrix lists URL names that do not exist (remove or fix them): {stale}"


def test_the_enumeration_sees_included_namespaces() -> None:
    # Guards the enumerator itself: a bug there would make the coverage test vacuous.
    names = existing_names()
    assert "pages:home" in names
    assert any(name.startswith("proposals:") for name in names)
    assert not any(name.startswith("admin:") for name in names)


def _url(route: Route, world: World) -> str:
    return reverse(route.name, kwargs=route.kwargs(world)) + route.query


def _describe(response: Response) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}" + (f" → {location}" if location else "")


def check(response: Response, expectation: str) -> str | None:
    """None when ``response`` matches ``expectation``, else what went wrong."""
    status = response.status_code
    location = response.get("Location", "")
    login_path = reverse("accounts:login")
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(location)
        if target.netloc and target.netloc not in {"testserver"}:
            return f"redirects off-site to {location}"
    ok = {
        "ok": status == 200,
        "login": status == 302 and urlsplit(location).path == login_path,
        "denied": status in (403, 404),
        "redirect": status in (302, 303) and urlsplit(location).path != login_path,
        "done": status == 200 or (status in (302, 303) and urlsplit(location).path != login_path),
        "method": status == 405,
        "gone": status == 404,
        "allowed": status in (200, 400) or (status in (302, 303) and urlsplit(location).path != login_path),
        "invalid": status == 400,
        "conflict": status == 409,
        "hidden": status in (403, 404) or (status == 302 and urlsplit(location).path == login_path),
        "preview": status in (200, 403, 404),
    }[expectation]
    return None if ok else f"expected {expectation}, got {_describe(response)}"


CASES = [(route, persona) for route in ROUTES for persona in PERSONAS]


@pytest.mark.parametrize(("route", "persona"), CASES, ids=[f"{r.id}-{p}" for r, p in CASES])
def test_url_for_persona(route: Route, persona: str, world: World, client_for: Callable[[User | None], Client]) -> None:
    client: Client = client_for(world.user(persona))
    url = _url(route, world)

    response, changed = changes_data(lambda: client.get(url), keep=route.post is not None)
    assert not changed, f"GET {url} as {persona} changed data"
    if route.get is None:
        # POST-only: GET must not act. A permission guard may answer before the method check
        # (sign-in for anonymous visitors, 403 for people without the role): also fine.
        allowed = ("method", "login", "denied") if persona == "anonymous" else ("method", "denied")
        problems = [check(response, expectation) for expectation in allowed]
        assert None in problems, f"GET {url} as {persona}: {problems[0]}"
    else:
        problem = check(response, route.get[persona])
        assert problem is None, f"GET {url} as {persona}: {problem}"

    if route.post is not None:
        response = client.post(url, route.data(world))
        problem = check(response, route.post[persona])
        assert problem is None, f"POST {url} as {persona}: {problem}"


def test_post_only_routes_leave_data_alone_on_get(world: World, client_for: Callable[[User | None], Client]) -> None:
    # The per-persona test checks it too; this one proves the fingerprint sees a change.
    from apps.proposals.models import Support

    before, writes = fingerprint(), row_writes()
    Support.objects.create(proposal=world.proposal, user=world.people["other_resident"])
    assert fingerprint() != before
    # ... and that the shortcut of changes_data sees the write that makes it compare them.
    assert row_writes() > writes
    _, changed = changes_data(lambda: Support.objects.filter(proposal=world.proposal).delete())
    assert changed
    _, changed = changes_data(lambda: world.proposal.refresh_from_db())
    assert not changed


@pytest.mark.parametrize("persona", PERSONAS)
def test_django_admin_is_for_superusers_only(
    persona: str, world: World, client_for: Callable[[User | None], Client]
) -> None:
    client: Client = client_for(world.user(persona))
    for url in ("/django-admin/", "/django-admin/proposals/proposal/", "/django-admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 302, f"{url} as {persona}: {response.status_code}"
        assert urlsplit(response["Location"]).path == "/django-admin/login/"


def test_django_admin_opens_to_a_superuser(db: None, client_for: Callable[[User | None], Client]) -> None:
    from apps.accounts.models import User

    admin = User.objects.create_superuser("root@example.org", "motdepasse-solide-42", display_name="Root")
    assert client_for(admin).get("/django-admin/").status_code == 200


def test_module_parts_are_found_through_the_manifests() -> None:
    from tests.security.modules import parts

    assert {"budgets", "councils", "sortition", "workshops"} <= set(parts())


def test_a_part_may_live_in_the_app_package() -> None:
    # The fallback of the convention: no tests.security.modules.X, so <X's app package>.<leaf>.
    from apps.core.registry import get_manifest
    from tests.discovery import discover_parts

    manifest = get_manifest("budgets")
    assert manifest is not None
    found = discover_parts("tests.security.no_such_package", "manifest", [manifest])
    assert found["budgets"].__name__ == "apps.budgets.manifest"
