"""Axe screens of the budgets module.

Its pages are scanned along journeys in ``tests/browser/test_budgets_projects.py`` and
``tests/browser/test_budgets_vote.py``: most need a state built by the journey itself (a ballot
with a birth date asked, a receipt after voting, a paper sheet waiting for its second entry), so
they are listed here with the test that scans them rather than as screens."""

from __future__ import annotations

from tests.browser.screens import Screen

SCREENS: list[Screen] = []

_PROJECTS = "tests/browser/test_budgets_projects.py::"
_VOTE = "tests/browser/test_budgets_vote.py::"
COVERED_ELSEWHERE = {
    "budgets:detail": _PROJECTS + "test_public_budget_pages_have_no_axe_violations",
    "budgets:envelopes": _PROJECTS + "test_public_budget_pages_have_no_axe_violations",
    "budgets:projects": _PROJECTS + "test_public_budget_pages_have_no_axe_violations (filtered too)",
    "budgets:project": _PROJECTS + "test_public_budget_pages_have_no_axe_violations (with an invitation too)",
    "budgets:project_edit": _PROJECTS + "test_public_budget_pages_have_no_axe_violations",
    "budgets:project_create": _PROJECTS + "test_project_form_error_state_has_no_axe_violations (errors too)",
    "budgets_admin:config": _PROJECTS + "test_back_office_pages_have_no_axe_violations (errors, read-only)",
    "budgets_admin:analysis": _PROJECTS + "test_back_office_pages_have_no_axe_violations (bulk errors too)",
    "budgets_admin:project": _PROJECTS + "test_back_office_pages_have_no_axe_violations (errors too)",
    "budgets_admin:realisation": _PROJECTS + "test_back_office_pages_have_no_axe_violations",
    # discussion/comment_moderation.html: the markup of proposals/comment_moderation.html (same
    # form, quote and fields), scanned by the proposals screens comment-report, comment-hide and
    # comment-hide-errors; a budgets screen of its own needs the budgets world in the browser tests.
    "budgets:comment_report": "tests/browser/screens/proposals.py: comment-report (same markup)",
    "budgets:comment_hide": "tests/browser/screens/proposals.py: comment-hide, comment-hide-errors (same markup)",
    "budgets:vote": _VOTE + "test_axe_on_the_online_vote",
    "budgets:ballot": _VOTE + "test_axe_on_the_online_vote and test_axe_on_a_knapsack_ballot_and_its_live_total",
    "budgets:receipt": _VOTE + "test_axe_on_the_online_vote (the receipt reached by voting)",
    "budgets:receipt_check": _VOTE + "test_axe_on_results_and_paper_entry",
    "budgets:results": _VOTE + "test_axe_on_results_and_paper_entry (published and not yet)",
    "budgets_admin:vote": _VOTE + "test_axe_on_results_and_paper_entry (open and closed)",
    "budgets_admin:paper_new": _VOTE + "test_axe_on_results_and_paper_entry (errors too)",
    "budgets_admin:paper_second": _VOTE + "test_axe_on_results_and_paper_entry",
    "budgets_admin:paper_resolve": _VOTE + "test_axe_on_results_and_paper_entry",
    "budgets_admin:paper_void": _VOTE + "test_axe_on_results_and_paper_entry",
}
