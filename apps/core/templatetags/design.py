"""Template tags of Archipel's design system (templates/components/, /gestion/styleguide/)."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from apps.core import covers, pictures
from apps.core.icons import DEFAULT_MODULE_ICON, ICONS, module_icon

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = "", size: str = "") -> SafeString:
    """One icon of the sprite. Decorative by default (``aria-hidden``: the words beside it say
    it); with ``label`` it is an image with that text alternative, for an icon standing alone."""
    if name not in ICONS:
        raise template.TemplateSyntaxError(
            f"unknown icon {name!r}: add it to apps/core/icons.py and rebuild the sprite"
        )
    classes = f"icon icon-{size}" if size else "icon"
    href = f"{static('vendor/lucide/sprite.svg')}#{name}"
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}" focusable="false"><use href="{}"></use></svg>',
            classes,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', classes, href
    )


TINTS = 6


@register.filter
def tint(key: int | None) -> int:
    """One of the fallback tints (``.tint-0`` … ``.tint-5``), fixed for a key such as a territory's id."""
    return (key or 0) % TINTS


@register.filter
def process_icon(process: Any) -> str:
    """The icon of the module a process hosts first (its current phase's, else its first phase's)."""
    phases = process.ordered_phases()
    current = process.current_phase()
    phase = current or (phases[0] if phases else None)
    return module_icon(phase.module) if phase is not None else DEFAULT_MODULE_ICON


@register.filter
def cover_picture(obj: Any) -> pictures.Picture | None:
    """The cover of a process, project, workshop, council… as a responsive picture (None: draw
    the fallback). Any object with the fields of ``apps.core.covers.Covered``."""
    return covers.cover_picture(obj)


@register.filter
def picture_of(obj: Any, field: str) -> pictures.Picture | None:
    """Another picture field of ``obj`` as a responsive picture, e.g. ``update|picture_of:"photo"``."""
    return covers.cover_picture(obj, field)
