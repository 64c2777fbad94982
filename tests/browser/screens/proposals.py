"""Axe screens of the proposals module (public pages; its back office is in ``core`` for now)."""

from __future__ import annotations

from tests.browser.map_data import with_map_data
from tests.browser.screens import Screen, errors, url

SCREENS: list[Screen] = [
    Screen("proposal-list", url("proposals:list", process_slug="process.slug"), "anonymous"),
    Screen("proposal-list-resident", url("proposals:list", process_slug="process.slug"), "resident"),
    Screen("proposal-map", url("proposals:map", process_slug="process.slug"), "anonymous"),
    Screen(
        "proposal-map-outlines", url("proposals:map", process_slug="process.slug"), "anonymous", action=with_map_data
    ),
    Screen("proposal-detail-placed", url("proposals:detail", pk="proposal.pk"), "anonymous", action=with_map_data),
    Screen(
        "proposal-create-outlines",
        url("proposals:create", process_slug="process.slug"),
        "resident",
        action=with_map_data,
    ),
    Screen("proposal-create", url("proposals:create", process_slug="process.slug"), "resident"),
    Screen(
        "proposal-create-errors",
        url("proposals:create", process_slug="process.slug"),
        "resident",
        action=errors({"[name=title]": "x"}),
    ),
    Screen("proposal-detail", url("proposals:detail", pk="proposal.pk"), "anonymous"),
    Screen("proposal-detail-resident", url("proposals:detail", pk="proposal.pk"), "resident"),
    Screen("proposal-detail-answered", url("proposals:detail", pk="answered.pk"), "resident"),
    Screen("proposal-detail-moderator", url("proposals:detail", pk="proposal.pk"), "moderator"),
    Screen("proposal-detail-agent", url("proposals:detail", pk="answered.pk"), "agent"),
    Screen("proposal-edit", url("proposals:edit", pk="proposal.pk"), "resident"),
    Screen(
        "proposal-edit-errors",
        url("proposals:edit", pk="proposal.pk"),
        "resident",
        action=errors({"[name=title]": "", "[name=body]": ""}),
    ),
    Screen("proposal-withdraw", url("proposals:withdraw", pk="proposal.pk"), "resident"),
    Screen("comment-report", url("proposals:comment_report", pk="comment.pk"), "resident"),
    Screen("comment-hide", url("proposals:comment_hide", pk="comment.pk"), "moderator"),
    Screen("comment-hide-errors", url("proposals:comment_hide", pk="comment.pk"), "moderator", action=errors()),
]

COVERED_ELSEWHERE = {
    "proposals:similar": (
        "an htmx fragment, not a page: the form of the proposal-create screen receives it; scanned "
        "alone it would only lack the landmarks and title of a page"
    ),
}
