"""The site header and footer are rendered once per variant (apps.core.templatetags.chrome):
each visitor still gets their own menu, their own CSRF token and their own path."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.templatetags import chrome
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def _page(client: Client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_kind_of_visitor_gets_its_own_menu(
    client_for: Callable[[User | None], Client], personas: Personas
) -> None:
    backoffice = reverse("backoffice:dashboard")
    agent = _page(client_for(personas["agent"]))  # rendered first: its variant is in the memo
    assert f'href="{backoffice}"' in agent and "Se déconnecter" in agent
    resident = _page(client_for(personas["resident"]))
    assert f'href="{backoffice}"' not in resident and "Se déconnecter" in resident
    anonymous = _page(client_for(None))
    assert "Se déconnecter" not in anonymous and f'href="{backoffice}"' not in anonymous
    assert reverse("accounts:login") in anonymous
    assert f'href="{backoffice}"' in _page(client_for(personas["agent"]))


def test_every_page_carries_its_own_csrf_token_which_the_forms_accept(personas: Personas) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(personas["resident"])
    second.force_login(personas["other_resident"])
    first_html, second_html = _page(first), _page(second)
    first_tokens, second_tokens = set(TOKEN.findall(first_html)), set(TOKEN.findall(second_html))
    assert first_tokens and second_tokens and not first_tokens & second_tokens
    memo = "".join("".join(parts) for parts in chrome._memo.values())
    assert chrome._CSRF not in first_html and chrome._CSRF in memo  # the memo keeps the marker only
    assert not any(token in memo for token in first_tokens | second_tokens)
    # The logout form in the cached header posts with the visitor's token.
    response = first.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": first_tokens.pop()})
    assert response.status_code == 302


def test_the_language_link_sends_back_this_page_only(client_for: Callable[[User | None], Client]) -> None:
    client = client_for(None)
    url = reverse("pages:process_list")
    switch = reverse("pages:language", kwargs={"code": "en"})
    html = _page(client, url + "?theme=a&quartier=b")
    assert f'href="{switch}?next=/demarches/%3Ftheme%3Da%26quartier%3Db"' in html
    assert "<script>x" not in _page(client, url + '?q="><script>x</script>')
    # The next page gets its own path, not the previous one.
    assert f'href="{switch}?next=/"' in _page(client, "/")


def test_the_processes_link_is_marked_current_on_its_page_only(client_for: Callable[[User | None], Client]) -> None:
    client = client_for(None)
    url = reverse("pages:process_list")
    assert f'<a href="{url}" aria-current="page">' in _page(client, url)
    assert f'<a href="{url}" aria-current="page">' not in _page(client, "/")


def test_without_a_request_the_header_prints_no_token_and_no_path() -> None:
    html = Template("{% load chrome %}{% site_header %}").render(Context({"SITE_NAME": "Archipel"}))
    assert 'name="csrfmiddlewaretoken"' not in html and '?next=" lang="en"' in html
    assert chrome._PATH not in html and chrome._CSRF not in html


def test_the_language_link_quotes_the_path_as_urllib_does() -> None:
    every_character = "".join(chr(code) for code in range(1, 0x250))
    for path in ("/", "/demarches/?theme=a&quartier=b", '/?q="><script>', every_character, "/é ü/€?x=1#a"):
        assert chrome._quoted(path) == quote(path, safe="/")
