"""Axe screens of the councils module, form error states included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.browser.screens import Screen, at_phone, scanned_then, url

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.security.world import World

FORM = "#contenu form[method=post i]"


def _c(world: World) -> Any:
    return world.extra["councils"]


def form_errors(page: Page, world: World) -> None:
    """Empty the date fields (the browser fills them) and submit: one French error summary."""
    from tests.browser.helpers import submit_with_errors

    page.locator(f"{FORM} input.date-input").evaluate_all("inputs => inputs.forEach(i => { i.value = ''; })")
    submit_with_errors(page, form=FORM)
    assert page.locator(".form-error-summary").count() == 1


COUNCIL = "extra.councils.council.pk"
PAGES: list[tuple[str, str, Any, bool]] = [
    # (name, persona, url, also in its error state)
    ("public-list", "anonymous", url("councils:list"), False),
    ("public-detail", "anonymous", url("councils:detail", slug="extra.councils.council.slug"), False),
    ("public-detail-member", "resident", url("councils:detail", slug="extra.councils.council.slug"), False),
    (
        "public-meeting",
        "anonymous",
        url("councils:meeting", slug="extra.councils.council.slug", pk="extra.councils.meeting.pk"),
        False,
    ),
    ("bo-list", "agent", url("councils_admin:list"), False),
    ("bo-detail", "agent", url("councils_admin:detail", pk=COUNCIL), False),
    ("bo-detail-elu", "elu", url("councils_admin:detail", pk=COUNCIL), False),
    ("bo-create", "agent", url("councils_admin:create"), True),
    ("bo-edit", "agent", url("councils_admin:edit", pk=COUNCIL), False),
    ("bo-member-add", "agent", url("councils_admin:member_add", pk=COUNCIL), True),
    ("bo-import", "agent", url("councils_admin:member_import", pk=COUNCIL), True),
    ("bo-renewal", "agent", url("councils_admin:renewal", pk=COUNCIL), False),
    ("bo-member-end", "agent", url("councils_admin:member_end", pk="extra.councils.own.pk"), False),
    ("bo-resign", "agent", url("councils_admin:member_resign", pk="extra.councils.own.pk"), True),
    ("bo-meeting-new", "agent", url("councils_admin:meeting_create", pk=COUNCIL), True),
    ("bo-meeting", "agent", url("councils_admin:meeting_edit", pk="extra.councils.meeting.pk"), False),
    ("bo-attendance", "agent", url("councils_admin:attendance", pk="extra.councils.meeting.pk"), False),
    ("bo-decision-new", "agent", url("councils_admin:decision_create", pk=COUNCIL), True),
    ("bo-decision", "agent", url("councils_admin:decision_edit", pk="extra.councils.decision.pk"), False),
    ("bo-decision-commit", "agent", url("councils_admin:decision_commit", pk="extra.councils.decision.pk"), True),
]

SCREENS: list[Screen] = [
    Screen(f"councils-{name}", builder, persona, action=scanned_then(form_errors) if with_errors else None)
    for name, persona, builder, with_errors in PAGES
]
# Their wide tables (composition, renewal) at a phone's width, where they scroll.
SCREENS += [at_phone(screen) for screen in SCREENS if screen.name in {"councils-public-detail", "councils-bo-renewal"}]

COVERED_ELSEWHERE = {
    "councils:attestation": "a PDF, not an HTML page (tests/browser/test_councils.py downloads it)",
}
