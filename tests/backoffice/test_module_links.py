"""The modules' links in the back office come from their manifests: the « Budget participatif »
tab shows only on a process with a budget, and the dashboard links to every module's back
office the person may open (draws, workshops, councils)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Process, Territory
from tests.budgets.factories import make_budget, make_budget_process
from tests.conftest import Personas, make_process_in_phase

pytestmark = pytest.mark.django_db


def test_budget_tab_only_on_a_process_with_a_budget(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory
) -> None:
    plain = make_process_in_phase("collect", territory=quartier)
    to_configure = make_budget_process("submission", territory=quartier)
    configured = make_budget_process("vote", territory=quartier)
    make_budget(configured)
    agent = client_for(personas["agent"])

    def tab_on(process: Process) -> bool:
        page = agent.get(reverse("backoffice:process_edit", kwargs={"pk": process.pk})).content.decode()
        return f'href="{reverse("budgets_admin:config", kwargs={"pk": process.pk})}"' in page

    assert not tab_on(plain)
    assert tab_on(to_configure)  # the agent creates the budget from the tab
    assert tab_on(configured)


def test_budget_tab_shows_to_the_elus_who_read_the_budget(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory
) -> None:
    process = make_budget_process("submission", territory=quartier)
    tab = f'href="{reverse("budgets_admin:config", kwargs={"pk": process.pk})}"'
    page = client_for(personas["elu"]).get(reverse("backoffice:commitments", kwargs={"pk": process.pk}))
    assert tab in page.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("agent", {"sortition_admin:list", "workshops_admin:list", "councils_admin:list"}),
        ("elu", {"sortition_admin:list", "workshops_admin:list", "councils_admin:list"}),
        ("moderator", set()),
    ],
)
def test_dashboard_links_to_the_modules_back_office(
    client_for: Callable[[User | None], Client], personas: Personas, persona: str, expected: set[str]
) -> None:
    page = client_for(personas[persona]).get(reverse("backoffice:dashboard")).content.decode()
    shown = {
        name
        for name in ("sortition_admin:list", "workshops_admin:list", "councils_admin:list")
        if f'href="{reverse(name)}"' in page
    }
    assert shown == expected


def test_public_footer_links_to_the_modules(client: Client) -> None:
    page = client.get(reverse("pages:home")).content.decode()
    footer = page[page.index('<ul class="footer-links">') :]
    positions = [
        footer.index(f'href="{reverse(name)}"') for name in ("workshops:list", "councils:list", "sortition:list")
    ]
    assert positions == sorted(positions)
    assert footer.index(reverse("opendata:index")) < positions[0] < footer.index(reverse("pages:legal"))
