"""Template side of the modules' plug points: ``{% module_nav "public" as links %}`` (the
navigation entries the visitor may see), ``{% process_tabs process as tabs %}`` (the modules'
back-office tabs of a process) and ``{% render_placed placed %}`` (a module's panel or section,
rendered inside the page's context with its own context on top)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import SafeString

from apps.core import plugs

register = template.Library()


@register.simple_tag(takes_context=True)
def module_nav(context: template.Context, area: str) -> list[plugs.Link]:
    user = getattr(context.get("request"), "user", None)
    return plugs.nav_links(area, user if user is not None else AnonymousUser())


@register.simple_tag(takes_context=True)
def process_tabs(context: template.Context, process: Any) -> list[plugs.Link]:
    return plugs.process_tabs(context["request"], process)


@register.simple_tag(takes_context=True)
def render_placed(context: template.Context, placed: plugs.Placed) -> SafeString:
    included = context.template.engine.get_template(placed.template)  # type: ignore[union-attr]
    with context.push(**placed.context):
        return included.render(context)
