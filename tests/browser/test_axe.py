"""Zero axe-core violations on every page template, including the error states of forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.helpers import assert_no_axe_violations, submit_with_errors
from tests.security.world import World

Prepare = Callable[[Page, World], None]


@dataclass(frozen=True)
class Screen:
    id: str
    persona: str
    url: Callable[[World], str]
    prepare: Prepare | None = None
    status: int = 200


def url(name: str, **attrs: str) -> Callable[[World], str]:
    """``reverse(name)`` with kwargs read from the world: ``pk="proposal.pk"``."""

    def build(world: World) -> str:
        kwargs = {}
        for key, path in attrs.items():
            value: object = world
            for part in path.split("."):
                value = getattr(value, part)
            kwargs[key] = value
        return reverse(name, kwargs=kwargs)

    return build


def errors(fill: dict[str, str] | None = None, form: str = "#contenu form[method=post i]") -> Prepare:
    def prepare(page: Page, world: World) -> None:
        submit_with_errors(page, fill, form=form)
        assert page.locator(".form-error-summary, .field-error, .errorlist").count() > 0, "no error shown"

    return prepare


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


SCREENS: list[Screen] = [
    # Public site
    Screen("home", "anonymous", url("pages:home")),
    Screen("home-signed-in", "resident", url("pages:home")),
    Screen("process-list", "anonymous", url("pages:process_list")),
    Screen("process", "anonymous", url("pages:process", slug="process.slug")),
    Screen("process-resident", "resident", url("pages:process", slug="process.slug")),
    Screen("territory", "anonymous", url("pages:territory", slug="quartier.slug")),
    Screen("accessibility", "anonymous", url("pages:accessibility")),
    Screen("legal", "anonymous", url("pages:legal")),
    Screen("privacy", "anonymous", url("pages:privacy")),
    Screen("terms", "anonymous", url("pages:terms")),
    Screen("cookies", "anonymous", url("pages:cookies")),
    Screen("404", "anonymous", lambda w: "/cette-page-n-existe-pas/", status=404),
    Screen("403", "resident", url("backoffice:dashboard"), status=403),
    Screen("429", "anonymous", url("pages:home"), prepare=rate_limited),
    # Proposals
    Screen("proposal-list", "anonymous", url("proposals:list", process_slug="process.slug")),
    Screen("proposal-list-resident", "resident", url("proposals:list", process_slug="process.slug")),
    Screen("proposal-map", "anonymous", url("proposals:map", process_slug="process.slug")),
    Screen("proposal-create", "resident", url("proposals:create", process_slug="process.slug")),
    Screen(
        "proposal-create-errors",
        "resident",
        url("proposals:create", process_slug="process.slug"),
        prepare=errors({"[name=title]": "x"}),
    ),
    Screen("proposal-detail", "anonymous", url("proposals:detail", pk="proposal.pk")),
    Screen("proposal-detail-resident", "resident", url("proposals:detail", pk="proposal.pk")),
    Screen("proposal-detail-answered", "resident", url("proposals:detail", pk="answered.pk")),
    Screen("proposal-detail-moderator", "moderator", url("proposals:detail", pk="proposal.pk")),
    Screen("proposal-detail-agent", "agent", url("proposals:detail", pk="answered.pk")),
    Screen("proposal-edit", "resident", url("proposals:edit", pk="proposal.pk")),
    Screen(
        "proposal-edit-errors",
        "resident",
        url("proposals:edit", pk="proposal.pk"),
        prepare=errors({"[name=title]": "", "[name=body]": ""}),
    ),
    Screen("proposal-withdraw", "resident", url("proposals:withdraw", pk="proposal.pk")),
    Screen("comment-report", "resident", url("proposals:comment_report", pk="comment.pk")),
    Screen("comment-hide", "moderator", url("proposals:comment_hide", pk="comment.pk")),
    Screen("comment-hide-errors", "moderator", url("proposals:comment_hide", pk="comment.pk"), prepare=errors()),
    # Accounts
    Screen("signup", "anonymous", url("accounts:signup")),
    Screen(
        "signup-errors",
        "anonymous",
        url("accounts:signup"),
        prepare=errors({"input[type=email]": "pas-une-adresse", "input[type=password] >> nth=0": "court"}),
    ),
    Screen("login", "anonymous", url("accounts:login")),
    Screen(
        "login-errors",
        "anonymous",
        url("accounts:login"),
        prepare=errors({"input[type=email]": "awa@example.org", "input[type=password]": "mauvais-mot-de-passe"}),
    ),
    Screen("magic-link", "anonymous", url("accounts:magic_link")),
    Screen(
        "magic-link-errors",
        "anonymous",
        url("accounts:magic_link"),
        prepare=errors({"[name=email]": "pas-une-adresse"}),
    ),
    Screen("magic-login", "anonymous", lambda w: reverse("accounts:magic_login") + "?sesame=jeton"),
    Screen("password-reset-errors", "anonymous", url("accounts:password_reset"), prepare=errors({"[name=email]": "x"})),
    Screen("password-reset", "anonymous", url("accounts:password_reset")),
    Screen("password-reset-done", "anonymous", url("accounts:password_reset_done")),
    Screen(
        "password-reset-confirm-invalid",
        "anonymous",
        lambda w: reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "invalide"}),
    ),
    Screen("password-reset-complete", "anonymous", url("accounts:password_reset_complete")),
    Screen("profile", "resident", url("accounts:profile")),
    Screen("profile-errors", "resident", url("accounts:profile"), prepare=errors({"[name=display_name]": ""})),
    Screen("dashboard", "resident", url("accounts:dashboard")),
    Screen("export", "resident", url("accounts:export")),
    Screen("delete", "resident", url("accounts:delete")),
    Screen("delete-errors", "resident", url("accounts:delete"), prepare=errors()),
    Screen("confirm-email", "anonymous", lambda w: reverse("accounts:confirm_email") + "?jeton=jeton"),
    Screen("census-check", "resident", url("accounts:census_check")),
    # Notifications
    Screen("inbox", "resident", url("notifications:inbox")),
    # Follow-up
    Screen("followup-index", "anonymous", url("followup:index")),
    Screen("followup-process", "anonymous", url("followup:process", slug="process.slug")),
    Screen("followup-timeline", "anonymous", url("followup:timeline", slug="process.slug")),
    Screen("followup-commitment", "anonymous", url("followup:commitment", pk="commitment.pk")),
    # Open data
    Screen("opendata", "anonymous", url("opendata:index")),
    # Back office
    Screen("backoffice-dashboard", "agent", url("backoffice:dashboard")),
    Screen("backoffice-dashboard-moderator", "moderator", url("backoffice:dashboard")),
    Screen("backoffice-verification", "agent", url("backoffice:verification")),
    Screen(
        "backoffice-verification-person-errors",
        "agent",
        lambda w: reverse("backoffice:verification_person", kwargs={"pk": w.people["resident"].pk}),  # type: ignore[union-attr]
        prepare=errors(),
    ),
    Screen("backoffice-process-create", "agent", url("backoffice:process_create")),
    Screen("backoffice-process-edit", "agent", url("backoffice:process_edit", pk="process.pk")),
    Screen(
        "backoffice-process-edit-errors",
        "agent",
        url("backoffice:process_edit", pk="process.pk"),
        prepare=errors({"[name=title]": "", "[name=summary]": ""}),
    ),
    Screen("backoffice-instruction", "agent", url("proposals_admin:instruction", pk="process.pk")),
    Screen("backoffice-instruction-elu", "elu", url("proposals_admin:instruction", pk="process.pk")),
    Screen("backoffice-proposal", "agent", url("proposals_admin:proposal", pk="proposal.pk")),
    Screen("backoffice-proposal-answered", "elu", url("proposals_admin:proposal", pk="answered.pk")),
    Screen(
        "backoffice-proposal-answer-errors",
        "agent",
        url("proposals_admin:proposal", pk="proposal.pk"),
        prepare=errors({"[name=body]": "Trop court"}, form="#contenu form[action*='/reponse/']"),
    ),
    Screen("backoffice-paper-entry", "agent", url("proposals_admin:paper_entry", pk="process.pk")),
    Screen(
        "backoffice-paper-entry-errors", "agent", url("proposals_admin:paper_entry", pk="process.pk"), prepare=errors()
    ),
    Screen("backoffice-commitments", "agent", url("backoffice:commitments", pk="process.pk")),
    Screen("backoffice-commitment-create", "agent", url("backoffice:commitment_create", pk="process.pk")),
    Screen("backoffice-commitment", "agent", url("backoffice:commitment", pk="commitment.pk")),
    Screen("backoffice-moderation", "moderator", url("backoffice:moderation")),
    Screen("backoffice-answer-templates", "agent", url("proposals_admin:answer_templates")),
    Screen("backoffice-answer-template-create", "agent", url("proposals_admin:answer_template_create")),
    Screen(
        "backoffice-answer-template-errors",
        "agent",
        url("proposals_admin:answer_template_create"),
        prepare=errors(),
    ),
    Screen(
        "backoffice-answer-template-edit", "agent", url("proposals_admin:answer_template_edit", pk="answer_template.pk")
    ),
    Screen("backoffice-audit-log", "admin_elsewhere", url("backoffice:audit_log")),
]


@pytest.mark.parametrize("screen", SCREENS, ids=[s.id for s in SCREENS])
def test_no_axe_violation(screen: Screen, world: World, page_for) -> None:  # type: ignore[no-untyped-def]
    page: Page = page_for(world.user(screen.persona))
    target = screen.url(world)
    response = page.goto(target)
    assert response is not None
    assert response.status == screen.status, f"GET {target} as {screen.persona}: {response.status}"
    if screen.prepare is not None:
        screen.prepare(page, world)
    assert_no_axe_violations(page, f"{screen.id} ({page.url})")


def test_the_scan_finds_violations_when_there_are_some(world: World, page_for) -> None:  # type: ignore[no-untyped-def]
    # Guards the harness: a scan that cannot fail would make every test above vacuous.
    from tests.browser.helpers import axe_violations

    page: Page = page_for(None)
    page.goto(reverse("pages:home"))
    page.evaluate(
        """() => {
            const main = document.getElementById('contenu');
            main.insertAdjacentHTML('beforeend',
              '<img src="/static/x.png"><p id="peu-lisible">peu lisible</p>' +
              '<input type="text" id="sans-etiquette">');
            // Through the CSSOM: the CSP refuses inline style attributes.
            const faint = document.getElementById('peu-lisible');
            faint.style.color = '#bbb';
            faint.style.background = '#fff';
        }"""
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "color-contrast", "label"} <= found, found
