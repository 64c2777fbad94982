"""Axe screens of the answers primitive's public page: the trust barometer (and its error state:
an empty reply). The back-office pages of answers are screens of the back-office world."""

from __future__ import annotations

from tests.browser.screens import Screen, errors, scanned_then, url

SCREENS: list[Screen] = [
    Screen(
        "answers-barometer",
        url("answers:barometer", pk="extra.answers.answer.pk"),
        persona="resident",
        action=scanned_then(errors()),
    ),
]
