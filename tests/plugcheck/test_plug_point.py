"""The single plug point, proved: the test module (``tests.plugcheck``) declares itself in its
manifest and nothing else in the repository names it, yet it shows on the process page (panel
and back-office tab), in the back office's menu, in « Mon espace », in the site's links, in open
data, in the RGPD export, on the process timeline and in the demo."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Process, Role, Territory
from apps.core.registry import all_followables, all_holdings, demo_builders, get_manifest, nav_entries
from tests.conftest import Personas, body_of, make_process_in_phase
from tests.factories import RoleFactory, UserFactory
from tests.plugcheck.models import Pledge

pytestmark = pytest.mark.django_db

PLUGCHECK = Path(__file__).resolve().parent


def plugcheck_process(territory: Territory, **extra: Any) -> Process:
    """A published process hosting the test module (and the proposals, like most processes)."""
    process = make_process_in_phase("collect", territory=territory, **extra)
    now = timezone.now()
    process.phases.create(
        module="plugcheck",
        kind="pledging",
        title="Promesses",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=10),
    )
    return process


def test_nothing_outside_the_folder_names_the_module() -> None:
    """The only mention outside tests/plugcheck is the one settings line that installs it."""
    root = Path(settings.BASE_DIR)
    mentions = []
    for folder in ("apps", "archipel", "templates"):
        for path in (root / folder).rglob("*"):
            if path.suffix in {".py", ".html"} and "plugcheck" in path.read_text(encoding="utf-8"):
                mentions.append(str(path.relative_to(root)))
    assert mentions == ["archipel/settings.py"]
    assert "tests.plugcheck" in settings.INSTALLED_APPS


def test_urls_are_mounted_from_the_manifest() -> None:
    assert reverse("plugcheck:index") == "/essai/"
    assert reverse("plugcheck_admin:index") == "/gestion/essai/"
    # The real modules keep their addresses.
    assert reverse("proposals:detail", kwargs={"pk": 1}) == "/propositions/1/"
    assert reverse("budgets_admin:config", kwargs={"pk": 1}) == "/gestion/budgets/demarches/1/"
    assert reverse("sortition:list") == "/tirages/"
    assert reverse("workshops:list") == "/ateliers/"
    assert reverse("councils_admin:list") == "/gestion/conseils/"


def test_panel_on_the_process_page_only_where_the_module_takes_part(client: Client, quartier: Territory) -> None:
    hosting = plugcheck_process(quartier, title="Démarche avec promesses")
    Pledge.objects.create(process=hosting, text="Je viendrai.")
    other = make_process_in_phase("collect", territory=quartier, title="Démarche sans promesses")
    page = client.get(reverse("pages:process", kwargs={"slug": hosting.slug})).content.decode()
    assert 'id="plugcheck-panel"' in page
    assert "Promesses témoin\u00a0: 1 sur Démarche avec promesses" in page
    other_page = client.get(reverse("pages:process", kwargs={"slug": other.slug})).content.decode()
    assert 'id="plugcheck-panel"' not in other_page
    assert reverse("proposals:list", kwargs={"process_slug": other.slug}) in other_page


def test_tab_among_the_process_back_office_pages(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory
) -> None:
    hosting = plugcheck_process(quartier)
    other = make_process_in_phase("collect", territory=quartier)
    tab = reverse("plugcheck_admin:process", kwargs={"pk": hosting.pk})
    agent = client_for(personas["agent"])
    page = agent.get(reverse("backoffice:process_edit", kwargs={"pk": hosting.pk})).content.decode()
    assert f'href="{tab}"' in page and "Promesses témoin" in page
    other_page = agent.get(reverse("backoffice:process_edit", kwargs={"pk": other.pk})).content.decode()
    assert "Promesses témoin" not in other_page
    # The tab's own page marks itself as the current tab.
    own = agent.get(tab).content.decode()
    assert f'href="{tab}" aria-current="page"' in own
    # The rule of the tab is the module's: a moderator sees the process but not the tab.
    assert client_for(personas["moderator"]).get(tab).status_code == 403


def test_entry_in_the_back_office_menu(client_for: Callable[[User | None], Client], personas: Personas) -> None:
    entry = reverse("plugcheck_admin:index")
    for persona in ("agent", "elu", "moderator"):
        page = client_for(personas[persona]).get(reverse("backoffice:dashboard")).content.decode()
        assert f'href="{entry}"' in page, persona
    assert [e.url_name for e in nav_entries("backoffice", personas["resident"]) if "plugcheck" in e.url_name] == []


def test_section_and_link_in_mon_espace(client_for: Callable[[User | None], Client], quartier: Territory) -> None:
    user = UserFactory.create()
    Pledge.objects.create(process=plugcheck_process(quartier, title="La place du marché"), author=user, text="Promis")
    page = client_for(user).get(reverse("accounts:dashboard")).content.decode()
    assert '<h2 id="plugcheck-section">Mes promesses</h2>' in page
    assert "Promis — La place du marché" in page
    assert f'href="{reverse("plugcheck:mine")}"' in page
    # The proposals' section is still there, before the module's (declared order).
    assert page.index('id="mes-idees"') < page.index('id="plugcheck-section"')


def test_link_in_the_public_footer(client: Client) -> None:
    page = client.get(reverse("pages:home")).content.decode()
    assert f'<a href="{reverse("plugcheck:index")}">Module témoin</a>' in page
    assert client.get(reverse("plugcheck:index")).status_code == 200


def test_export_in_open_data(client: Client, quartier: Territory) -> None:
    process = plugcheck_process(quartier)
    Pledge.objects.create(process=process, author=UserFactory.create(), text="Je planterai un arbre.")
    index = client.get(reverse("opendata:index")).content.decode()
    assert "Promesses témoin" in index
    csv = client.get(reverse("opendata:export", kwargs={"name": "plugcheck_pledges", "fmt": "csv"}))
    assert csv.status_code == 200
    body = body_of(csv).decode()
    assert "Je planterai un arbre." in body and "author" not in body
    page = client.get(reverse("pages:process", kwargs={"slug": process.slug})).content.decode()
    assert (
        reverse("opendata:process_export", kwargs={"slug": process.slug, "name": "plugcheck_pledges", "fmt": "csv"})
        in page
    )


def test_personal_data_is_declared_through_the_manifest() -> None:
    assert {holding.model for holding in all_holdings()} >= {"plugcheck.Pledge"}
    manifest = get_manifest("plugcheck")
    assert manifest is not None and manifest.personal_data is not None
    assert "plugcheck" not in all_followables()


def test_rgpd_export_holds_the_pledges(quartier: Territory) -> None:
    from apps.accounts.services import account_export_data

    user = UserFactory.create()
    Pledge.objects.create(process=plugcheck_process(quartier), author=user, text="Ma promesse")
    data = account_export_data(user)
    assert [row["text"] for row in data["plugcheck_pledges"]] == ["Ma promesse"]


def test_event_on_the_process_timeline(client: Client, quartier: Territory) -> None:
    process = plugcheck_process(quartier)
    Pledge.objects.create(process=process, text="Une promesse datée")
    page = client.get(reverse("followup:timeline", kwargs={"slug": process.slug})).content.decode()
    assert "Une promesse datée" in page


def test_demo_builders_run_in_declared_order(quartier: Territory) -> None:
    names = [name for name, _builder in demo_builders()]
    assert names == [
        "proposals",
        "budgets",
        "sortition",
        "workshops",
        "councils",
        "agenda",
        "consultations",
        "initiatives",
        "petitions",
        "indicators",
        "plugcheck",
    ]
    # The module's builder adds its part on the demo city (tests/demo runs the whole command).
    make_process_in_phase("collect", territory=quartier)
    counts = dict(demo_builders())["plugcheck"].build(SimpleNamespace(demo={"habitante": UserFactory.create()}))
    assert counts == {"promesses témoin": 1} and Pledge.objects.count() == 1


def test_staff_roles_reach_the_module_pages(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory
) -> None:
    process = plugcheck_process(quartier)
    url = reverse("plugcheck_admin:process", kwargs={"pk": process.pk})
    assert client_for(personas["agent"]).get(url).status_code == 200
    assert client_for(personas["resident"]).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    elsewhere = UserFactory.create()
    RoleFactory.create(user=elsewhere, role=Role.AGENT, process=make_process_in_phase("collect", territory=quartier))
    assert client_for(elsewhere).get(url).status_code == 403
