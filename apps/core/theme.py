"""The city's theme: its primary colour, typeface and logo, from ``settings.THEME``.

``static/css/archipel.css`` holds the design tokens with Archipel's defaults; the theme
stylesheet (``/theme.css``, linked after it) overrides only the brand tokens. It is served by a
view because the CSP forbids inline styles, and it is built from settings only (never from what a
visitor sends). Each value is checked, so a typo in the settings cannot inject CSS, and the
system check ``archipel.E020`` refuses a primary colour too light for white text (WCAG AA).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

DEFAULT_PRIMARY = "#00558c"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
# A CSS font-family list: names, quotes, commas, spaces, hyphens; nothing that ends a rule.
_FONT = re.compile(r"^[\w \-,'\"]{1,200}$")
_LOGO = re.compile(r"^[\w\-./]{1,200}\.(svg|png|webp|jpg)$")


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of ``colour`` (``#rrggbb``) against white."""
    red, green, blue = (_channel(c) for c in _rgb(colour))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def darker(colour: str, amount: float = 0.3) -> str:
    """``colour`` mixed with ``amount`` of black (the hover and pressed shade)."""
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in _rgb(colour))


def tint(colour: str, amount: float = 0.9) -> str:
    """``colour`` mixed with ``amount`` of white (backgrounds of highlighted boxes)."""
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in _rgb(colour))


def theme_errors(theme: dict[str, Any]) -> list[str]:
    """What is wrong with a theme (empty when it can be used)."""
    errors = []
    primary = theme.get("primary") or DEFAULT_PRIMARY
    if not _HEX.match(primary):
        errors.append(f"THEME['primary'] must be #rrggbb, not {primary!r}")
    elif contrast_with_white(primary) < 4.5:
        errors.append(
            f"THEME['primary'] {primary} has a contrast of {contrast_with_white(primary):.2f}:1 with white "
            "text; WCAG AA needs 4.5:1 (choose a darker shade)"
        )
    font = theme.get("font") or ""
    if font and not _FONT.match(font):
        errors.append(f"THEME['font'] must be a CSS font-family list, not {font!r}")
    logo = theme.get("logo") or ""
    if logo and not _LOGO.match(logo):
        errors.append(f"THEME['logo'] must be a static file path (.svg, .png, .webp, .jpg), not {logo!r}")
    return errors


@cache
def stylesheet() -> str:
    """The theme's CSS: the brand tokens of ``:root`` (Archipel's defaults when unset or invalid)."""
    theme = getattr(settings, "THEME", {})
    ok = not theme_errors(theme)
    primary = (theme.get("primary") or DEFAULT_PRIMARY) if ok else DEFAULT_PRIMARY
    lines = [
        f"--brand: {primary.lower()};",
        f"--brand-dark: {darker(primary.lower())};",
        f"--brand-tint: {tint(primary.lower())};",
    ]
    if ok and theme.get("font"):
        lines.append(f"--font-body: {theme['font']}, system-ui, sans-serif;")
        lines.append(f"--font-heading: {theme['font']}, system-ui, sans-serif;")
    return "/* City theme (settings.THEME), see apps/core/theme.py. */\n:root { " + " ".join(lines) + " }\n"


@cache
def version() -> str:
    """A short hash of the stylesheet: its URL changes when the theme does (long browser cache)."""
    return hashlib.sha256(stylesheet().encode()).hexdigest()[:12]


def logo() -> str:
    theme = getattr(settings, "THEME", {})
    return str(theme.get("logo") or "") if not theme_errors(theme) else ""


def _clear(**_kwargs: Any) -> None:
    stylesheet.cache_clear()
    version.cache_clear()


setting_changed.connect(_clear, dispatch_uid="apps.core.theme.clear")
