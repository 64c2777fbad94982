"""Axe screens of the consultations module: the conversation page (voting form, statement form
and its error state, hidden statements with their reasons) and the opinion map (groups, table,
SVG scatter, the person's position; and the empty state)."""

from __future__ import annotations

from tests.browser.screens import Screen, errors, scanned_then, url

_CONVERSATION = "consultations-conversation"

SCREENS: list[Screen] = [
    Screen(
        _CONVERSATION,
        url("consultations:conversation", pk="extra.consultations.open.pk"),
        "resident",
        action=scanned_then(errors({"[name=text]": "Trop"}, form="#nouvelle-affirmation form")),
    ),
    Screen("consultations-conversation-anonymous", url("consultations:conversation", pk="extra.consultations.open.pk")),
    Screen("consultations-map", url("consultations:map", pk="extra.consultations.open.pk"), "resident"),
    Screen("consultations-map-empty", url("consultations:map", pk="extra.consultations.closed.pk")),
]

COVERED_ELSEWHERE = {
    "consultations:statement_create": f"{_CONVERSATION}: its GET redirects to the conversation page, its error "
    "state re-renders that page (scanned with the errors)",
    "consultations:vote": "POST only: redirects to the conversation page",
}
