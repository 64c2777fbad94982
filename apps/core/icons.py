"""The icons of Archipel's design system: Lucide's (ISC licence), vendored as one SVG sprite
(``static/vendor/lucide/sprite.svg``, rebuilt by ``scripts/build_icon_sprite.py``).

Only these names exist in the sprite; ``{% icon %}`` refuses any other, so a typo fails the
page's test instead of drawing an empty square.
"""

from __future__ import annotations

ICONS = frozenset(
    {
        "bell",
        "calendar",
        "chart-column",
        "chevron-down",
        "chevron-right",
        "circle-alert",
        "circle-check",
        "clipboard-list",
        "clock",
        "file-text",
        "hand-coins",
        "house",
        "image",
        "inbox",
        "info",
        "landmark",
        "languages",
        "lightbulb",
        "list-checks",
        "map",
        "map-pin",
        "megaphone",
        "menu",
        "message-circle",
        "palette",
        "search",
        "settings",
        "shuffle",
        "triangle-alert",
        "user",
        "users",
        "vote",
        "x",
    }
)

# The icon that stands for each module (a card's fallback picture, the home page's actions).
# Names only: core imports no module. A module not listed gets DEFAULT_MODULE_ICON.
MODULE_ICONS = {
    "proposals": "lightbulb",
    "budgets": "hand-coins",
    "sortition": "shuffle",
    "workshops": "users",
    "councils": "landmark",
    "agenda": "calendar",
    "petitions": "megaphone",
    "consultations": "message-circle",
    "indicators": "chart-column",
    "initiatives": "lightbulb",
}
DEFAULT_MODULE_ICON = "megaphone"


def module_icon(module: str) -> str:
    return MODULE_ICONS.get(module, DEFAULT_MODULE_ICON)
