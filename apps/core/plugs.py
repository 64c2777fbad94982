"""What the foundation's pages take from the modules' manifests: process panels and tabs,
navigation entries, sections of « Mon espace » and of the home and territory pages.

Each helper asks the modules' callables and keeps what they offer (a context that is not None,
a rule that is true), so pages never name a module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from apps.core import registry

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import _StrOrPromise

    from apps.core.models import Process, Territory


@dataclass(frozen=True)
class Placed:
    """A module's template and the context it is rendered with (``{% render_placed %}``)."""

    template: str
    context: Mapping[str, Any]


@dataclass(frozen=True)
class Link:
    """A resolved link of a navigation area or of a process's back-office tabs."""

    label: _StrOrPromise
    url: str
    key: str = ""
    description: _StrOrPromise = ""


def process_panels(request: HttpRequest, process: Process) -> list[Placed]:
    placed = []
    for _manifest, panel in registry.process_panels():
        context = panel.context(request, process)
        if context is not None:
            placed.append(Placed(panel.template, context))
    return placed


def process_tabs(request: HttpRequest, process: Process) -> list[Link]:
    """The modules' tabs among a process's back-office pages: only where the module has
    something on this process (its panel's context is not None) and the user may open it."""
    tabs = []
    for manifest, panel in registry.process_panels():
        if not panel.backoffice_url_name or panel.backoffice_rule is None:
            continue
        if not panel.backoffice_rule(request.user, process) or panel.context(request, process) is None:
            continue
        url = reverse(panel.backoffice_url_name, kwargs={"pk": process.pk})
        tabs.append(Link(panel.label, url, key=manifest.name))
    return tabs


def resolved(entry: registry.NavEntry) -> Link:
    return Link(entry.label, reverse(entry.url_name), description=entry.description)


def nav_links(area: str, user: Any) -> list[Link]:
    return [resolved(entry) for entry in registry.nav_entries(area, user)]


def account_sections(request: HttpRequest) -> list[Placed]:
    placed = []
    for section in registry.account_sections():
        context = section.context(request)
        if context is not None:
            placed.append(Placed(section.template, context))
    return placed


def page_sections(request: HttpRequest, page: str, territory: Territory | None = None) -> list[Placed]:
    placed = []
    for section in registry.page_sections(page):
        context = section.context(request, territory)
        if context is not None:
            placed.append(Placed(section.template, context))
    return placed
