"""Axe screens of the consultations module: the conversation page (voting form, statement form
and its error state, hidden statements with their reasons) and the opinion map (groups, table,
SVG scatter, the person's position; and the empty state)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core import signing

from apps.consultations.questionnaires import duplicates
from tests.browser.screens import Screen, errors, scanned_then, url

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.security.world import World

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


def _answered_on_this_device(page: Page, world: World) -> None:
    """The browser already answered (the guard's signed cookie, as the server sets it): scan the
    « already answered » state and the next person's form, then leave that form refused with its
    box unticked, for the screen's own scan."""
    from tests.browser.helpers import assert_no_axe_violations, submit_with_errors

    questionnaire = world.extra["questionnaires"].open
    name = duplicates._cookie(questionnaire)
    value = signing.get_cookie_signer(salt=name + duplicates.SALT).sign(duplicates._token(questionnaire))
    host = urlsplit(page.url).hostname or "127.0.0.1"
    page.context.add_cookies([{"name": name, "value": value, "domain": host, "path": questionnaire.get_absolute_url()}])
    page.reload()
    assert page.get_by_text("Une autre personne utilise cet appareil").count() == 1
    assert_no_axe_violations(page, f"{page.url} (answered on this device)")
    page.goto(page.url.split("?")[0] + f"?{duplicates.NEXT_PERSON}=1")
    assert_no_axe_violations(page, f"{page.url} (the next person's form)")
    page.uncheck(f"#id_{duplicates.NEXT_PERSON}")
    submit_with_errors(page)
    assert page.get_by_text("cochez « Je suis une autre personne »").count() >= 1


# --- questionnaires -------------------------------------------------------------------------

_Q = "extra.questionnaires"
SCREENS += [
    Screen(
        "questionnaire-answer",
        url("consultations:questionnaire", pk=f"{_Q}.open.pk"),
        action=scanned_then(errors()),
    ),
    Screen(
        "questionnaire-next-person",
        url("consultations:questionnaire", pk=f"{_Q}.open.pk"),
        action=_answered_on_this_device,
    ),
    Screen("questionnaire-signed-anonymous", url("consultations:questionnaire", pk=f"{_Q}.signed.pk")),
    Screen("questionnaire-signed-resident", url("consultations:questionnaire", pk=f"{_Q}.signed.pk"), "resident"),
    Screen("questionnaire-closed", url("consultations:questionnaire", pk=f"{_Q}.closed.pk")),
    Screen("questionnaire-results", url("consultations:questionnaire_results", pk=f"{_Q}.closed.pk")),
    Screen("questionnaire-results-empty", url("consultations:questionnaire_results", pk=f"{_Q}.open.pk"), "agent"),
    Screen(
        "questionnaire-site-entry",
        url("consultations:site_entry", pk=f"{_Q}.site.pk"),
        "other_resident",
        action=scanned_then(errors()),
    ),
    Screen(
        "questionnaire-backoffice-list",
        url("consultations_admin:questionnaires"),
        "agent",
        action=scanned_then(errors()),
    ),
    Screen(
        "questionnaire-backoffice-detail",
        url("consultations_admin:questionnaire", pk=f"{_Q}.open.pk"),
        "agent",
        # The question form, not the first of the page's forms (a question's « Descendre » button).
        action=scanned_then(errors(form="#contenu form[action$='/questions/']")),
    ),
    Screen(
        "questionnaire-backoffice-detail-answered",
        url("consultations_admin:questionnaire", pk=f"{_Q}.closed.pk"),
        "agent",
    ),
    Screen(
        "questionnaire-question-edit",
        url("consultations_admin:question_edit", pk=f"{_Q}.question.pk"),
        "agent",
        action=scanned_then(errors({"[name=text]": ""})),
    ),
    Screen(
        "questionnaire-question-edit-answered",
        url("consultations_admin:question_edit", pk=f"{_Q}.answered_question.pk"),
        "agent",
    ),
    Screen(
        "questionnaire-site-tables",
        url("consultations:site_tables", pk=f"{_Q}.site.pk"),
        "other_resident",
        action=scanned_then(errors({"[name=headcount]": "0"})),
    ),
    Screen(
        "questionnaire-paper",
        url("consultations_admin:paper", pk=f"{_Q}.open.pk"),
        "agent",
        action=scanned_then(errors()),
    ),
]

COVERED_ELSEWHERE |= {
    "consultations_admin:question_add": "POST only: its error state re-renders the questionnaire page "
    "(questionnaire-backoffice-detail submits the question form with errors)",
    "consultations_admin:site_add": "POST only: redirects to, or re-renders with errors, the questionnaire page",
    "consultations_admin:export": "a CSV download, not an HTML page",
    "consultations_admin:question_move": "POST only: redirects to the questionnaire page",
    "consultations_admin:question_delete": "POST only: redirects to the questionnaire or question page",
    "consultations_admin:option_move": "POST only: redirects to the question page",
}

# --- moderation and syntheses ---------------------------------------------------------------

_B = "extra.consultations_backoffice"
SCREENS += [
    Screen(
        "consultations-moderation",
        url("consultations_admin:moderation"),
        "agent",
        action=scanned_then(errors()),
    ),
    Screen("consultations-moderation-empty", url("consultations_admin:moderation"), "admin_elsewhere"),
    Screen(
        "consultations-syntheses",
        url("consultations_admin:syntheses"),
        "agent",
        action=scanned_then(errors()),
    ),
    Screen(
        "consultations-synthesis-review",
        url("consultations_admin:synthesis", pk=f"{_B}.draft.pk"),
        "agent",
        action=scanned_then(errors({"#id_title": ""})),
    ),
    Screen("consultations-synthesis", url("consultations:synthesis", pk=f"{_B}.published.pk")),
    Screen("consultations-synthesis-preview", url("consultations:synthesis", pk=f"{_B}.draft.pk"), "agent"),
]

COVERED_ELSEWHERE |= {
    "consultations_admin:synthesis_merge": "POST only: redirects to, or re-renders with errors, the review page",
    "consultations_admin:synthesis_publish": "POST only: redirects to the published synthesis",
    "consultations_admin:theme_edit": "POST only: redirects to, or re-renders with errors, the review page",
    "consultations_admin:moderation_mode": "POST only: redirects to the moderation page (consultations-moderation)",
}
