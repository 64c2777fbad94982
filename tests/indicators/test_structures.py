"""The catalogue of indicators and the structures' own sets (issue 14, item 5: indicators
« définis par la MEL et choisis ensuite par les structures », seed 004)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Role, Territory
from apps.indicators import services
from apps.indicators.models import CatalogueIndicator, Measure, Structure
from tests.conftest import Personas
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_admin(city: Territory) -> User:
    admin = UserFactory.create(email="admin-ville@example.org")
    RoleFactory.create(user=admin, role=Role.ADMIN, territory=None)
    return admin


def _catalogue() -> dict[str, CatalogueIndicator]:
    return {
        measure: CatalogueIndicator.objects.create(
            measure=measure, title=f"Titre {measure}", definition=f"Déf. {measure}"
        )
        for measure in (Measure.CHANNELS, Measure.AGE, Measure.RENEWAL)
    }


def test_a_structure_agent_picks_its_set_and_sees_only_those_figures(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    items = _catalogue()
    structure = Structure.objects.create(name="Centre social", kind=Structure.Kind.SOCIAL_CENTRE, territory=quartier)
    structure.agents.add(personas["agent"])
    client = client_for(personas["agent"])
    url = reverse("indicators_admin:structure", kwargs={"pk": structure.pk})

    empty = client.get(url).content.decode()
    assert "Aucun indicateur choisi" in empty

    response = client.post(url, {"indicators": [items[Measure.AGE].pk, items[Measure.RENEWAL].pk]})
    assert response.status_code == 302
    assert set(structure.indicators.values_list("measure", flat=True)) == {Measure.AGE, Measure.RENEWAL}

    page = client.get(url).content.decode()
    assert "Déf. age" in page and "Déf. renewal" in page and "Déf. channels" not in page
    assert 'id="dim-age"' in page and 'id="dim-gender"' not in page, "only the chosen dimensions"
    assert 'id="renouvellement"' in page and 'id="canaux"' not in page and 'id="reponses"' not in page

    listing = client.get(reverse("indicators_admin:structures")).content.decode()
    assert "Centre social" in listing


def test_an_agent_cannot_see_nor_change_another_structure(
    quartier: Territory, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    items = _catalogue()
    other = Structure.objects.create(name="Service des sports", kind=Structure.Kind.SERVICE)
    other.agents.add(UserFactory.create())
    other.indicators.add(items[Measure.AGE])
    client = client_for(personas["agent"])
    url = reverse("indicators_admin:structure", kwargs={"pk": other.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"indicators": [items[Measure.CHANNELS].pk]}).status_code == 403
    assert list(other.indicators.values_list("measure", flat=True)) == [Measure.AGE]
    assert "Service des sports" not in client.get(reverse("indicators_admin:structures")).content.decode()
    with pytest.raises(PermissionDenied):
        services.structure_choose(actor=personas["agent"], structure=other, indicators=[])
    # A resident listed by mistake on a structure still has no back office.
    other.agents.add(personas["resident"])
    assert client_for(personas["resident"]).get(url).status_code in (302, 403)


def test_the_city_defines_the_catalogue(
    city_admin: User, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("indicators_admin:catalogue")
    admin = client_for(city_admin)
    response = admin.post(url, {"measure": "qpv", "title": "Habitants des QPV", "definition": "Part.", "order": "2"})
    assert response.status_code == 302
    admin.post(url, {"measure": "qpv", "title": "Habitants des quartiers prioritaires", "definition": "", "order": "1"})
    assert list(CatalogueIndicator.objects.values_list("measure", "title")) == [
        ("qpv", "Habitants des quartiers prioritaires")
    ], "saving a measure again renames it"
    bad = admin.post(url, {"measure": "nope", "title": "", "order": "x"})
    assert bad.status_code == 200 and "form-error-summary" in bad.content.decode()
    assert CatalogueIndicator.objects.count() == 1
    agent = client_for(personas["agent"])
    assert agent.get(url).status_code == 403
    assert agent.post(url, {"measure": "age", "title": "Âge", "order": "0"}).status_code == 403
    assert CatalogueIndicator.objects.count() == 1
