"""Axe screens of the petitions module (public pages, back office, agoras), error states included."""

from __future__ import annotations

from typing import Any

from tests.browser.screens import Screen, at_phone, errors, scanned_then, url

P = "extra.petitions"
PAGES: list[tuple[str, str, Any, Any]] = [
    # (name, persona, url, action after the first scan or None)
    ("public-list", "anonymous", url("petitions:list"), None),
    ("public-detail", "anonymous", url("petitions:detail", pk=f"{P}.open.pk"), None),
    ("public-detail-rejected", "anonymous", url("petitions:detail", pk=f"{P}.rejected.pk"), None),
    ("public-detail-pending-author", "resident", url("petitions:detail", pk=f"{P}.pending.pk"), None),
    ("public-create", "resident", url("petitions:create"), scanned_then(errors({"#id_title": "Court"}))),
    (
        "public-sign",
        "moderator",
        url("petitions:sign", pk=f"{P}.open.pk"),
        scanned_then(errors({"#id_postal_code": "440", "#id_birth_date": "31/02/1980"})),
    ),
    ("public-join", "elu", url("petitions:join", pk=f"{P}.open.pk", token=f"{P}.open.committee_token"), None),
    ("agora-list", "anonymous", url("petitions:agora_list"), None),
    ("agora-detail", "anonymous", url("petitions:agora", pk=f"{P}.agora.pk"), None),
    ("bo-list", "agent", url("petitions_admin:list"), None),
    ("bo-detail", "agent", url("petitions_admin:detail", pk=f"{P}.reached.pk"), None),
    ("bo-moderate", "moderator", url("petitions_admin:moderate", pk=f"{P}.pending.pk"), scanned_then(errors())),
    (
        "bo-paper",
        "agent",
        url("petitions_admin:paper", pk=f"{P}.open.pk"),
        scanned_then(errors({"#id_postal_code": "٤٤٠"})),
    ),
    ("bo-answer", "elu", url("petitions_admin:answer", pk=f"{P}.reached.pk"), scanned_then(errors())),
    ("bo-agora-create", "agent", url("petitions_admin:agora_create"), scanned_then(errors())),
    ("bo-agora", "agent", url("petitions_admin:agora", pk=f"{P}.agora.pk"), None),
    ("bo-stakeholder", "agent", url("petitions_admin:stakeholder_add", pk=f"{P}.agora.pk"), scanned_then(errors())),
    ("bo-sitting", "agent", url("petitions_admin:sitting_add", pk=f"{P}.agora.pk"), scanned_then(errors())),
    ("bo-action", "agent", url("petitions_admin:action_add", pk=f"{P}.agora.pk"), None),
    ("bo-close", "agent", url("petitions_admin:agora_close", pk=f"{P}.agora.pk"), scanned_then(errors())),
    ("bo-minutes", "agent", url("petitions_admin:minutes", pk=f"{P}.sitting.pk"), None),
]

SCREENS: list[Screen] = [
    Screen(f"petitions-{name}", builder, persona, action=action) for name, persona, builder, action in PAGES
]
# The signatures per quartier at a phone's width, where the table scrolls (the rules' table is
# scanned at that width in tests/browser/test_petitions.py).
SCREENS += [at_phone(screen) for screen in SCREENS if screen.name == "petitions-public-detail"]

COVERED_ELSEWHERE = {
    "petitions_admin:rules": (
        "city-wide administrators only (no persona of the world); scanned in tests/browser/test_petitions.py"
    ),
}
