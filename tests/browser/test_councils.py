"""Councils in a real browser: the back office works without JavaScript, a member downloads their
attestation. The axe scans of every councils page (form errors included) are screens of
``tests/browser/screens/councils.py``, run by ``tests/browser/test_axe.py``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page

from apps.councils.models import Membership
from tests.security.world import World

pytestmark = [pytest.mark.browser]

FORM = "#contenu form[method=post i]"
DETAIL = re.compile(r"/gestion/conseils/\d+/(#\w+)?$")


def _c(world: World) -> Any:
    return world.extra["councils"]


def test_agent_adds_a_member_and_records_attendance_without_javascript(
    world: World, new_context: Callable[..., BrowserContext]
) -> None:
    council = _c(world).council
    page = new_context(world.user("agent"), java_script_enabled=False).new_page()
    page.goto(reverse("councils_admin:member_add", kwargs={"pk": council.pk}))
    page.get_by_role("combobox", name="Collège").select_option("local_actors")
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


def test_member_downloads_own_attestation(world: World, page_for: Callable[..., Page]) -> None:
    page: Page = page_for(world.user("resident"))
    page.goto(_c(world).council.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mon attestation de participation (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
