"""Zero axe-core violations on the back-office and public follow-up pages, error states included."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from apps.answers.models import Answer
from apps.proposals.models import PaperContact, Status

# The back-office world fixture, imported here so the browser fixtures stay defined once
# (a second definition would start a second Playwright in the same worker).
from tests.backoffice.conftest import World, world  # noqa: F401
from tests.browser.helpers import assert_no_axe_violations, submit_with_errors
from tests.factories import ProposalFactory, make_answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(live_server, world: World, personas) -> World:  # type: ignore[no-untyped-def]  # noqa: F811
    # The world's process is in its collect phase, when no answer may be signed: the answer
    # is written as if published later; a submitted draft and an answered paper contribution
    # fill the preview, signing and letters pages.
    answer = make_answer(
        proposal=world.proposal,
        status=Status.ACCEPTED,
        body="Retenue : les bancs seront posés **au printemps prochain**.",
        signer=personas["elu"],
        signed_by="Elu, élu·e — Malakoff",
    )
    assert answer.pk
    pending = ProposalFactory(process=world.process, title="Un composteur partagé")
    make_answer(
        proposal=pending,
        status=Status.NOT_RETAINED,
        body="Non retenue : un composteur existe déjà *rue des Lilas*.",
        state=Answer.State.SUBMITTED,
        author=personas["agent"],
    )
    paper = ProposalFactory(process=world.process, author=None, is_paper=True, paper_author_name="Mme D.")
    PaperContact.objects.create(proposal=paper, postal_address="3 rue des Lilas\n44000 Nantes")
    make_answer(proposal=paper, status=Status.UNDER_STUDY, body="Nous étudions votre idée en détail.")
    return world


PAGES: list[tuple[str, str, Callable[[World], str], str | None]] = [
    ("dashboard", "agent", lambda w: reverse("backoffice:dashboard"), None),
    ("process-create", "agent", lambda w: reverse("backoffice:process_create"), "#contenu form[method=post i]"),
    ("process-edit", "agent", lambda w: reverse("backoffice:process_edit", kwargs={"pk": w.process.pk}), None),
    (
        "instruction",
        "agent",
        lambda w: reverse("proposals_admin:instruction", kwargs={"pk": w.process.pk}),
        "form[action$='/actions/']",
    ),
    (
        "proposal",
        "elu",
        lambda w: reverse("proposals_admin:proposal", kwargs={"pk": w.proposal.pk}),
        "form[action$='/reponse/']",
    ),
    (
        "paper",
        "agent",
        lambda w: reverse("proposals_admin:paper_entry", kwargs={"pk": w.process.pk}),
        "#contenu form[method=post i]",
    ),
    (
        "answer-preview",
        "elu",
        lambda w: reverse("proposals_admin:proposal_answer_preview", kwargs={"pk": Answer.pending.get().source_id}),
        None,
    ),
    ("answers-to-sign", "elu", lambda w: reverse("proposals_admin:answers_to_sign", kwargs={"pk": w.process.pk}), None),
    ("paper-letters", "agent", lambda w: reverse("proposals_admin:paper_letters", kwargs={"pk": w.process.pk}), None),
    ("commitments", "agent", lambda w: reverse("backoffice:commitments", kwargs={"pk": w.process.pk}), None),
    (
        "commitment-new",
        "agent",
        lambda w: reverse("backoffice:commitment_create", kwargs={"pk": w.process.pk}),
        "#contenu form[method=post i]",
    ),
    (
        "commitment",
        "agent",
        lambda w: reverse("backoffice:commitment", kwargs={"pk": w.commitment.pk}),
        "form[action$='/point-etape/']",
    ),
    ("moderation", "moderator", lambda w: reverse("backoffice:moderation"), "form[action$='/masquer/']"),
    ("templates", "agent", lambda w: reverse("proposals_admin:answer_templates"), None),
    (
        "template-new",
        "agent",
        lambda w: reverse("proposals_admin:answer_template_create"),
        "#contenu form[method=post i]",
    ),
    ("audit", "admin_elsewhere", lambda w: reverse("backoffice:audit_log"), None),
    (
        "signature-delegations",
        "admin_elsewhere",
        lambda w: reverse("answers_admin:signature_delegations"),
        "#contenu form[method=post i]:not([action])",
    ),
    ("followup-index", "anonymous", lambda w: reverse("followup:index"), None),
    ("followup-process", "anonymous", lambda w: reverse("followup:process", kwargs={"slug": w.process.slug}), None),
    ("followup-timeline", "anonymous", lambda w: reverse("followup:timeline", kwargs={"slug": w.process.slug}), None),
    (
        "followup-commitment",
        "anonymous",
        lambda w: reverse("followup:commitment", kwargs={"pk": w.commitment.pk}),
        None,
    ),
]


@pytest.mark.parametrize(("label", "persona", "url", "error_form"), PAGES, ids=[p[0] for p in PAGES])
def test_no_axe_violations(live_world: World, personas, page_for, label, persona, url, error_form) -> None:  # type: ignore[no-untyped-def]
    page: Page = page_for(personas[persona])
    response = page.goto(url(live_world))
    assert response is not None and response.status == 200
    assert_no_axe_violations(page, label)
    if error_form:
        submit_with_errors(page, form=error_form)
        assert page.locator(".form-error-summary, .field-error").count() > 0
        assert_no_axe_violations(page, f"{label} (errors)")
