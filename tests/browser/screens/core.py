"""Axe screens of the foundation: public pages, accounts, notifications, follow-up, open data and
the back office of proposals (the ``core`` manifest; the proposals module has its own file)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from tests.browser.map_data import with_map_data
from tests.browser.screens import Screen, errors, url

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.security.world import World


def rate_limited(page: Page, world: World) -> None:
    # Sign in with a wrong password until the limit answers 429 with the French page.
    for _ in range(40):
        page.goto(reverse("accounts:login"))
        form = page.locator("#contenu form[method=post i]").first
        form.evaluate("f => { f.noValidate = true; }")
        form.locator("input[type=email], input[name=username], input[name=email]").first.fill("x@example.org")
        form.locator("input[type=password]").first.fill("mauvais-mot-de-passe")
        with page.expect_navigation() as navigation:
            form.locator("button[type=submit]").last.click()
        response = navigation.value
        if response is not None and response.status == 429:
            return
    raise AssertionError("the sign-in form was never rate-limited")


def open_every_disclosure(page: Page, world: World) -> None:
    # Every closed <details> (accordions, the menu) is scanned open too.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def phone_menu_open(page: Page, world: World) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    page.locator("summary.menu-button").click()
    assert page.locator(".main-nav").is_visible()


SCREENS: list[Screen] = [
    # Public site
    Screen("home", url("pages:home"), "anonymous"),
    Screen("home-signed-in", url("pages:home"), "resident"),
    Screen("home-phone-menu", url("pages:home"), "agent", action=phone_menu_open),
    Screen("process-list", url("pages:process_list"), "anonymous"),
    Screen("process", url("pages:process", slug="process.slug"), "anonymous"),
    Screen("process-resident", url("pages:process", slug="process.slug"), "resident"),
    Screen("territory", url("pages:territory", slug="quartier.slug"), "anonymous"),
    Screen("territory-map", url("pages:territory", slug="quartier.slug"), "anonymous", action=with_map_data),
    Screen("city-map", url("pages:territory", slug="city.slug"), "anonymous", action=with_map_data),
    Screen("accessibility", url("pages:accessibility"), "anonymous"),
    Screen("legal", url("pages:legal"), "anonymous"),
    Screen("privacy", url("pages:privacy"), "anonymous"),
    Screen("terms", url("pages:terms"), "anonymous"),
    Screen("cookies", url("pages:cookies"), "anonymous"),
    Screen("404", lambda w: "/cette-page-n-existe-pas/", "anonymous", status=404, route="(404)"),
    Screen("403", url("backoffice:dashboard"), "resident", status=403),
    Screen("429", url("pages:home"), "anonymous", action=rate_limited),
    # Accounts
    Screen("signup", url("accounts:signup"), "anonymous"),
    Screen(
        "signup-errors",
        url("accounts:signup"),
        "anonymous",
        action=errors({"input[type=email]": "pas-une-adresse", "input[type=password] >> nth=0": "court"}),
    ),
    Screen("login", url("accounts:login"), "anonymous"),
    Screen(
        "login-errors",
        url("accounts:login"),
        "anonymous",
        action=errors({"input[type=email]": "awa@example.org", "input[type=password]": "mauvais-mot-de-passe"}),
    ),
    Screen("magic-link", url("accounts:magic_link"), "anonymous"),
    Screen(
        "magic-link-errors",
        url("accounts:magic_link"),
        "anonymous",
        action=errors({"[name=email]": "pas-une-adresse"}),
    ),
    Screen("magic-login", url("accounts:magic_login", query="?sesame=jeton"), "anonymous"),
    Screen(
        "password-reset-errors",
        url("accounts:password_reset"),
        "anonymous",
        action=errors({"[name=email]": "x"}),
    ),
    Screen("password-reset", url("accounts:password_reset"), "anonymous"),
    Screen("password-reset-done", url("accounts:password_reset_done"), "anonymous"),
    Screen(
        "password-reset-confirm-invalid",
        lambda w: reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "invalide"}),
        "anonymous",
        route="accounts:password_reset_confirm",
    ),
    Screen("password-reset-complete", url("accounts:password_reset_complete"), "anonymous"),
    Screen("profile", url("accounts:profile"), "resident"),
    Screen("profile-errors", url("accounts:profile"), "resident", action=errors({"[name=display_name]": ""})),
    Screen("dashboard", url("accounts:dashboard"), "resident"),
    Screen("export", url("accounts:export"), "resident"),
    Screen("delete", url("accounts:delete"), "resident"),
    Screen("delete-errors", url("accounts:delete"), "resident", action=errors()),
    Screen("confirm-email", url("accounts:confirm_email", query="?jeton=jeton"), "anonymous"),
    Screen("census-check", url("accounts:census_check"), "resident"),
    # Notifications
    Screen("inbox", url("notifications:inbox"), "resident"),
    # Follow-up
    Screen("followup-index", url("followup:index"), "anonymous"),
    Screen("followup-process", url("followup:process", slug="process.slug"), "anonymous"),
    Screen("followup-timeline", url("followup:timeline", slug="process.slug"), "anonymous"),
    Screen("followup-commitment", url("followup:commitment", pk="commitment.pk"), "anonymous"),
    # Open data
    Screen("opendata", url("opendata:index"), "anonymous"),
    # Back office
    Screen("backoffice-dashboard", url("backoffice:dashboard"), "agent"),
    Screen("styleguide", url("backoffice:styleguide"), "agent", action=open_every_disclosure),
    Screen("backoffice-todo", url("backoffice:todo"), "agent"),
    Screen("backoffice-todo-empty", url("backoffice:todo"), "moderator"),
    Screen("backoffice-search", url("backoffice:search", query="?q=place"), "agent"),
    Screen("backoffice-search-none", url("backoffice:search", query="?q=introuvable"), "agent"),
    Screen("backoffice-search-errors", url("backoffice:search", query="?q=x"), "agent", status=400),
    Screen("backoffice-dashboard-moderator", url("backoffice:dashboard"), "moderator"),
    Screen("backoffice-verification", url("backoffice:verification"), "agent"),
    Screen(
        "backoffice-verification-person-errors",
        url("backoffice:verification_person", pk="people.resident.pk"),
        "agent",
        action=errors(),
    ),
    Screen("backoffice-process-create", url("backoffice:process_create"), "agent"),
    Screen("backoffice-process-edit", url("backoffice:process_edit", pk="process.pk"), "agent"),
    Screen(
        "backoffice-process-edit-errors",
        url("backoffice:process_edit", pk="process.pk"),
        "agent",
        action=errors({"[name=title]": "", "[name=summary]": ""}),
    ),
    Screen("backoffice-instruction", url("proposals_admin:instruction", pk="process.pk"), "agent"),
    Screen("backoffice-instruction-elu", url("proposals_admin:instruction", pk="process.pk"), "elu"),
    Screen("backoffice-proposal", url("proposals_admin:proposal", pk="proposal.pk"), "agent"),
    Screen("backoffice-proposal-answered", url("proposals_admin:proposal", pk="answered.pk"), "elu"),
    Screen(
        "backoffice-proposal-answer-errors",
        url("proposals_admin:proposal", pk="proposal.pk"),
        "agent",
        action=errors({"[name=body]": "Trop court"}, form="#contenu form[action*='/reponse/']"),
    ),
    Screen("backoffice-paper-entry", url("proposals_admin:paper_entry", pk="process.pk"), "agent"),
    Screen(
        "backoffice-paper-entry-errors",
        url("proposals_admin:paper_entry", pk="process.pk"),
        "agent",
        action=errors(),
    ),
    Screen("backoffice-commitments", url("backoffice:commitments", pk="process.pk"), "agent"),
    Screen("backoffice-commitment-create", url("backoffice:commitment_create", pk="process.pk"), "agent"),
    Screen("backoffice-commitment", url("backoffice:commitment", pk="commitment.pk"), "agent"),
    Screen("backoffice-moderation", url("discussion:moderation"), "moderator"),
    Screen("backoffice-answer-templates", url("proposals_admin:answer_templates"), "agent"),
    Screen("backoffice-answer-template-create", url("proposals_admin:answer_template_create"), "agent"),
    Screen(
        "backoffice-answer-template-errors",
        url("proposals_admin:answer_template_create"),
        "agent",
        action=errors(),
    ),
    Screen(
        "backoffice-answer-template-edit",
        url("proposals_admin:answer_template_edit", pk="answer_template.pk"),
        "agent",
    ),
    Screen("backoffice-audit-log", url("backoffice:audit_log"), "admin_elsewhere"),
    Screen("backoffice-roles", url("backoffice:roles"), "admin_elsewhere"),
    Screen("backoffice-role-grant", url("backoffice:role_grant"), "admin_elsewhere"),
]
