"""Axe screens of the agenda module; several show a page and then its error state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.browser.screens import Screen, errors, scanned_then, url

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.security.world import World

UPCOMING = "extra.agenda.upcoming.pk"
PAST = "extra.agenda.past.pk"


def _propose_with_errors(page: Page, world: World) -> None:
    """The resident proposes a subject without a title: the page comes back with the error."""
    from tests.browser.helpers import submit_with_errors

    submit_with_errors(page, form="#proposer")
    assert page.locator("#proposer .field-error").count() == 1


def _empty_dates(page: Page, world: World) -> None:
    page.locator("#contenu form[method=post i] input").evaluate_all(
        "inputs => inputs.filter(i => i.type !== 'hidden' && i.type !== 'checkbox').forEach(i => { i.value = ''; })"
    )


PAGES: list[tuple[str, str, Any, Any]] = [
    # (name, persona, url, action)
    ("list", "anonymous", url("agenda:list"), None),
    ("quartier-past", "anonymous", url("agenda:quartier", "?passes=1", slug="quartier.slug"), None),
    ("process", "anonymous", url("agenda:process", slug="process.slug"), None),
    ("upcoming-resident", "resident", url("agenda:detail", pk=UPCOMING), scanned_then(_propose_with_errors)),
    ("past-moderator", "moderator", url("agenda:detail", pk=PAST), None),
    ("mine", "resident", url("agenda:mine"), None),
    ("report", "resident", url("agenda:comment_report", pk="extra.agenda.comment.pk"), None),
    ("hide", "moderator", url("agenda:comment_hide", pk="extra.agenda.comment.pk"), None),
    ("bo-list", "agent", url("agenda_admin:list"), None),
    ("bo-detail", "agent", url("agenda_admin:detail", pk=UPCOMING), None),
    ("bo-create", "agent", url("agenda_admin:create"), scanned_then(errors(before=_empty_dates))),
    ("bo-edit", "agent", url("agenda_admin:edit", pk=UPCOMING), None),
    ("bo-cancel", "agent", url("agenda_admin:cancel", pk=UPCOMING), scanned_then(errors())),
    ("bo-minutes", "agent", url("agenda_admin:minutes", pk=PAST), None),
    ("bo-outcome", "agent", url("agenda_admin:outcome_create", pk=PAST), scanned_then(errors())),
    ("bo-signin", "agent", url("agenda_admin:signin", pk=PAST), None),
]

SCREENS: list[Screen] = [
    Screen(f"agenda-{name}", builder, persona, action=action) for name, persona, builder, action in PAGES
]

COVERED_ELSEWHERE = {
    "agenda:quartier_feed": "an iCal feed, not an HTML page (tests/agenda/test_ical.py parses it back)",
    "agenda:personal_feed": "an iCal feed, not an HTML page (tests/agenda/test_ical.py parses it back)",
}
