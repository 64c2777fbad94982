"""Councils in a real browser: zero axe-core violations on every page (form errors included),
and the back office works without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from apps.councils.models import Membership
from tests.browser.helpers import assert_no_axe_violations, submit_with_errors
from tests.security.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = "#contenu form[method=post i]"
DETAIL = re.compile(r"/gestion/conseils/\d+/(#\w+)?$")


def _c(world: World) -> Any:
    return world.extra["councils"]


# (label, persona, url, form to submit with errors or None)
PAGES: list[tuple[str, str, Callable[[World], str], str | None]] = [
    ("public-list", "anonymous", lambda w: reverse("councils:list"), None),
    ("public-detail", "anonymous", lambda w: _c(w).council.get_absolute_url(), None),
    ("public-detail-member", "resident", lambda w: _c(w).council.get_absolute_url(), None),
    ("public-meeting", "anonymous", lambda w: _c(w).meeting.get_absolute_url(), None),
    ("bo-list", "agent", lambda w: reverse("councils_admin:list"), None),
    ("bo-detail", "agent", lambda w: reverse("councils_admin:detail", kwargs={"pk": _c(w).council.pk}), None),
    ("bo-detail-elu", "elu", lambda w: reverse("councils_admin:detail", kwargs={"pk": _c(w).council.pk}), None),
    ("bo-create", "agent", lambda w: reverse("councils_admin:create"), FORM),
    ("bo-edit", "agent", lambda w: reverse("councils_admin:edit", kwargs={"pk": _c(w).council.pk}), None),
    ("bo-member-add", "agent", lambda w: reverse("councils_admin:member_add", kwargs={"pk": _c(w).council.pk}), FORM),
    ("bo-import", "agent", lambda w: reverse("councils_admin:member_import", kwargs={"pk": _c(w).council.pk}), FORM),
    ("bo-renewal", "agent", lambda w: reverse("councils_admin:renewal", kwargs={"pk": _c(w).council.pk}), None),
    ("bo-member-end", "agent", lambda w: reverse("councils_admin:member_end", kwargs={"pk": _c(w).own.pk}), None),
    ("bo-resign", "agent", lambda w: reverse("councils_admin:member_resign", kwargs={"pk": _c(w).own.pk}), FORM),
    (
        "bo-meeting-new",
        "agent",
        lambda w: reverse("councils_admin:meeting_create", kwargs={"pk": _c(w).council.pk}),
        FORM,
    ),
    ("bo-meeting", "agent", lambda w: reverse("councils_admin:meeting_edit", kwargs={"pk": _c(w).meeting.pk}), None),
    (
        "bo-attendance",
        "agent",
        lambda w: reverse("councils_admin:attendance", kwargs={"pk": _c(w).meeting.pk}),
        None,
    ),
    (
        "bo-decision-new",
        "agent",
        lambda w: reverse("councils_admin:decision_create", kwargs={"pk": _c(w).council.pk}),
        FORM,
    ),
    (
        "bo-decision-commit",
        "agent",
        lambda w: reverse("councils_admin:decision_commit", kwargs={"pk": _c(w).decision.pk}),
        FORM,
    ),
]


@pytest.mark.parametrize(("label", "persona", "url", "error_form"), PAGES, ids=[p[0] for p in PAGES])
def test_no_axe_violations(world: World, page_for, label, persona, url, error_form) -> None:  # type: ignore[no-untyped-def]
    page: Page = page_for(world.user(persona))
    response = page.goto(url(world))
    assert response is not None and response.status == 200
    assert_no_axe_violations(page, label)
    if error_form:
        page.locator(f"{FORM} input.date-input").evaluate_all("inputs => inputs.forEach(i => { i.value = ''; })")
        submit_with_errors(page, form=error_form)
        assert page.locator(".form-error-summary").count() == 1
        assert_no_axe_violations(page, f"{label} (errors)")


def test_agent_adds_a_member_and_records_attendance_without_javascript(world: World, new_context) -> None:  # type: ignore[no-untyped-def]
    council = _c(world).council
    page = new_context(world.user("agent"), java_script_enabled=False).new_page()
    page.goto(reverse("councils_admin:member_add", kwargs={"pk": council.pk}))
    page.get_by_label("Collège").select_option("local_actors")
    page.get_by_label("Origine").select_option("appointed")
    page.get_by_label("Nom complet").fill("Nadia Haddad")
    page.get_by_role("button", name="Ajouter le membre").click()
    page.wait_for_url(DETAIL)
    assert "Le membre est ajouté." in page.content()
    assert Membership.objects.filter(council=council, public_name="Nadia H.").exists()

    page.goto(reverse("councils_admin:attendance", kwargs={"pk": _c(world).meeting.pk}))
    page.get_by_label("Présence de Awa R. Nomprivé").select_option("present")
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.wait_for_url(DETAIL)
    assert "1 présent·es" in page.content()


def test_member_downloads_own_attestation(world: World, page_for) -> None:  # type: ignore[no-untyped-def]
    page: Page = page_for(world.user("resident"))
    page.goto(_c(world).council.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mon attestation de participation (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
