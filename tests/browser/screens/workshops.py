"""Axe screens of the workshops module.

Its pages are scanned along two journeys of ``tests/browser/test_workshops.py`` (a member's pages,
a stale edit of a recommendation, the agent's back office with each form's error state), listed
here with the test that scans them rather than as screens."""

from __future__ import annotations

from tests.browser.screens import Screen, errors, scanned_then, url

_EVALUATION = "extra.workshops.published"
SCREENS: list[Screen] = [
    # A participatory evaluation: its workshop page (what is evaluated, the evidence), its cahier
    # (public, and the staff's preview of a draft), and its back-office page with an upload error.
    Screen("workshops-evaluation-detail", url("workshops:detail", slug=f"{_EVALUATION}.slug"), persona="resident"),
    Screen("workshops-cahier", url("workshops:cahier", slug=f"{_EVALUATION}.slug")),
    Screen("workshops-cahier-preview", url("workshops:cahier", slug="extra.workshops.ws.slug"), persona="agent"),
    Screen(
        "workshops-bo-evaluation",
        url("workshops_admin:evaluation", pk=f"{_EVALUATION}.pk"),
        persona="agent",
        action=scanned_then(errors(form="form[enctype]")),
    ),
]

_PUBLIC = "tests/browser/test_workshops.py::test_public_and_member_pages_have_no_axe_violations"
_BACKOFFICE = "tests/browser/test_workshops.py::test_backoffice_pages_have_no_axe_violations"
COVERED_ELSEWHERE = {
    "workshops:cahier_pdf": "a PDF, not an HTML page (text checked in tests/workshops/test_evaluation.py)",
    "workshops:evidence": "a PDF download (tests/workshops/test_evaluation.py)",
    "workshops:list": _PUBLIC,
    "workshops:detail": _PUBLIC + " (published opinion, member)",
    "workshops:recommendation": _PUBLIC + " (published, draft for a member)",
    "workshops:member": _PUBLIC,
    "workshops:vote": _PUBLIC,
    "workshops:recommendation_edit": _PUBLIC + " (errors and a stale revision too)",
    "workshops:claim": _PUBLIC,
    "workshops_admin:list": _BACKOFFICE,
    "workshops_admin:create": _BACKOFFICE + " (errors too)",
    "workshops_admin:edit": _BACKOFFICE + " (errors, draft)",
    "workshops_admin:panel": _BACKOFFICE + " (the add form's errors too)",
    "workshops_admin:sessions": _BACKOFFICE + " (errors too)",
    "workshops_admin:session": _BACKOFFICE,
    "workshops_admin:attendance": _BACKOFFICE,
    "workshops_admin:opinion": _BACKOFFICE + " (draft and published)",
    "workshops_admin:answer": _BACKOFFICE + " (errors too)",
}
