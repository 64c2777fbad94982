"""The site header and footer of ``base.html``, rendered once per process and variant.

They are the same on every page for a given language and kind of visitor (anonymous or signed
in, staff somewhere or not, on the processes page or not), except two per-request values: the
CSRF token of the logout form, and the current path sent back by the language link. About
twenty ``{% url %}`` and twenty ``{% translate %}`` per page cost more than the rest of a cached
proposals page, so each variant is rendered once with markers in place of those two values,
split there, and joined with the visitor's own values on each page.

Nothing personal is kept: the variant is a handful of booleans and which of the footer's module
links the visitor may see (each module's nav rule is asked on every page, as before); the token
and the path are never stored. The memo lives in the process (the templates, URLs and
translations it depends on only change with a deploy) and is emptied when a test changes a
setting.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from apps.core import plugs, registry, theme

register = template.Library()

# Markers stand for the per-request values while a variant is rendered; the rendering is split
# on them at once, so what a visitor sends (the path) is never searched for markers.
_CSRF = "\x00archipel-chrome-csrf\x00"
_PATH = "\x00archipel-chrome-path\x00"

# (template, variant) -> the rendering cut at the markers: text, marker, text, marker, ...
_memo: dict[tuple[Any, ...], list[str]] = {}
_MEMO_LIMIT = 256  # variants are few; a bound in case a module's links vary a lot
_SAFE = frozenset(string.ascii_letters + string.digits + "_.-~/")
# Static file -> its URL (hashed name from the manifest in production): fixed until a deploy.
_static_urls: dict[str, str] = {}


def _clear(**_kwargs: Any) -> None:
    _memo.clear()
    _static_urls.clear()


setting_changed.connect(_clear, dispatch_uid="apps.core.chrome.clear")


def _split(html: str) -> list[str]:
    parts: list[str] = []
    rest = html
    while True:
        positions = [(rest.find(marker), marker) for marker in (_CSRF, _PATH) if marker in rest]
        if not positions:
            parts.append(rest)
            return parts
        index, marker = min(positions)
        parts.extend([rest[:index], marker])
        rest = rest[index + len(marker) :]


def _render(
    name: str, variant: tuple[Any, ...], context: Callable[[], dict[str, Any]], token: str, path: str
) -> SafeString:
    memo_key = (name, get_language(), get_urlconf(), bool(token), *variant)
    parts = _memo.get(memo_key)
    if parts is None:
        # Without a token (a page rendered without its request) ``{% csrf_token %}`` prints nothing.
        markers = {"csrf_token": _CSRF} if token else {}
        parts = _split(render_to_string(name, {**context(), **markers, "full_path": _PATH}))
        if len(_memo) >= _MEMO_LIMIT:
            _memo.clear()
        _memo[memo_key] = parts
    values = {_CSRF: token, _PATH: path}
    return mark_safe("".join([values.get(part, part) for part in parts]))  # the template escaped the rest


# Each byte's form in a URL query value, as ``urllib.parse.quote(..., safe="/")`` writes it:
# letters, digits, ``_.-~`` and ``/`` as they are, the rest %XX. ``quote`` calls a Python
# function per byte of a path that needs quoting (about 130 calls for a filtered list's path).
_QUOTED = [chr(byte) if chr(byte) in _SAFE else f"%{byte:02X}" for byte in range(256)]


def _quoted(path: str) -> str:
    """``quote(path, safe="/")``; only ``[A-Za-z0-9_.~/%-]`` comes out: nothing to escape in HTML."""
    return "".join(map(_QUOTED.__getitem__, path.encode()))


def _request_values(context: template.Context) -> tuple[Any, str, str]:
    """The request, its CSRF token ("" without one, as ``{% csrf_token %}`` prints nothing)
    and its path, encoded for the language link's ``?next=`` (and so safe in HTML)."""
    request = context.get("request")
    if request is None:
        return None, "", ""
    # The page's own (lazy) token, which ``{{ csrf_token }}`` in base.html prints too: one
    # masking per page instead of two (each ``get_token`` masks anew).
    lazy_token = context.get("csrf_token")
    token = "" if lazy_token is None else str(lazy_token)
    return request, token, _quoted(request.get_full_path())


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    request, token, path = _request_values(context)
    user = context.get("user")
    is_authenticated = bool(user is not None and user.is_authenticated)
    is_staff = bool(is_authenticated and context.get("user_is_staff_anywhere"))
    match = getattr(request, "resolver_match", None)
    on_process_list = getattr(match, "url_name", None) == "process_list"
    flags = {
        "SITE_NAME": context.get("SITE_NAME", ""),
        "is_authenticated": is_authenticated,
        "is_staff": is_staff,
        "on_process_list": on_process_list,
        "THEME_LOGO": theme.logo(),
    }
    return _render("includes/site_header.html", tuple(flags.values()), lambda: flags, token, path)


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    person = user if user is not None else AnonymousUser()
    # The variant is which entries the visitor may see (each module's rule, asked on every
    # page); their labels, order and URLs depend only on the language and URLconf (in the
    # memo key), so they are resolved (a ``reverse`` and a translation each) on a memo miss only.
    allowed = tuple(
        (id(entry), entry.url_name)
        for manifest in registry.all_manifests()
        for entry in manifest.nav
        if entry.area == "public" and entry.rule(person)
    )
    return _render(
        "includes/site_footer.html",
        allowed,
        lambda: {"public_links": plugs.nav_links("public", person)},
        "",
        "",
    )


@register.simple_tag
def static_url(path: str) -> str:
    """``{% static %}`` for the files of every page (``base.html``), looked up once per process:
    Django's tag asks the storage each time (the manifest lookup, cleaning and quoting of the
    name: about a hundred Python calls per file, four files per page)."""
    url = _static_urls.get(path)
    if url is None:
        url = _static_urls[path] = static(path)
    return url
