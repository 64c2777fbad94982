"""Zero axe-core violations on the back-office and public follow-up pages, error states included."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from apps.answers.models import Answer
from apps.proposals.models import PaperContact, Status

# The back-office world fixture, imported here so the browser fixtures stay defined once
# (a second definition would start a second Playwright in the same worker).
from tests.backoffice.conftest import World, world  # noqa: F401
from tests.browser.helpers import assert_no_axe_violations
from tests.browser.screens import Screen
from tests.browser.screens.backoffice_world import SCREENS
from tests.conftest import Personas
from tests.factories import ProposalFactory, make_answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(live_server: LiveServer, world: World, personas: Personas) -> World:  # noqa: F811
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
    pending = ProposalFactory.create(process=world.process, title="Un composteur partagé")
    make_answer(
        proposal=pending,
        status=Status.NOT_RETAINED,
        body="Non retenue : un composteur existe déjà *rue des Lilas*.",
        state=Answer.State.SUBMITTED,
        author=personas["agent"],
    )
    paper = ProposalFactory.create(process=world.process, author=None, is_paper=True, paper_author_name="Mme D.")
    PaperContact.objects.create(proposal=paper, postal_address="3 rue des Lilas\n44000 Nantes")
    make_answer(proposal=paper, status=Status.UNDER_STUDY, body="Nous étudions votre idée en détail.")
    return world


@pytest.mark.parametrize("screen", SCREENS, ids=[screen.name for screen in SCREENS])
def test_no_axe_violations(
    live_world: World, personas: Personas, page_for: Callable[..., Page], screen: Screen
) -> None:
    page: Page = page_for(personas[screen.persona])
    response = page.goto(screen.url(live_world))  # type: ignore[arg-type]
    assert response is not None and response.status == screen.status
    if screen.action is not None:
        screen.action(page, live_world)  # type: ignore[arg-type]
    assert_no_axe_violations(page, screen.name)
