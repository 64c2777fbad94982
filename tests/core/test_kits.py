"""The back-office and rules kits of core: the pieces every module's rules and back-office pages share."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from apps.core import backoffice_kit, rules_kit
from apps.core.models import Process, Role, Territory
from tests.factories import RoleFactory, UserFactory


def test_require_refuses_unless_allowed() -> None:
    rules_kit.require(True)
    with pytest.raises(PermissionDenied):
        rules_kit.require(False)


@pytest.mark.django_db
def test_a_resident_is_a_signed_in_active_account() -> None:
    assert not rules_kit.is_resident(AnonymousUser())
    assert rules_kit.is_resident(UserFactory.create())
    assert not rules_kit.is_resident(UserFactory.create(is_active=False))


@pytest.mark.django_db
def test_phase_allows_reads_the_active_phase_of_the_module(process_in_phase: Callable[..., Process]) -> None:
    collecting = process_in_phase("collect")
    assert rules_kit.phase_allows(collecting, "proposals", "create")
    assert not rules_kit.phase_allows(collecting, "budgets", "create")
    assert not rules_kit.phase_allows(process_in_phase("analysis"), "proposals", "create")


@pytest.mark.parametrize(("raw", "number"), [("", 1), ("2", 2), ("abc", 1), ("999", 3), ("-1", 1)])
def test_paginate_falls_back_to_a_valid_page(raw: str, number: int) -> None:
    request = RequestFactory().get("/", {"page": raw})
    context = backoffice_kit.paginate(request, list(range(25)), 10)
    assert context["page_obj"].number == number
    assert context["page_range"] == [1, 2, 3]


@pytest.mark.django_db
def test_staff_required_sends_anonymous_people_to_login_and_refuses_residents(quartier: Territory) -> None:
    @backoffice_kit.staff_required
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().get("/gestion/")
    request.user = AnonymousUser()
    assert view(request).status_code == 302
    request.user = UserFactory.create()
    with pytest.raises(PermissionDenied):
        view(request)
    agent = UserFactory.create()
    RoleFactory.create(user=agent, role=Role.AGENT, territory=quartier)
    request.user = agent
    assert view(request).status_code == 200


@pytest.mark.django_db
def test_a_territory_scope_covers_its_sub_territories(
    city: Territory, quartier: Territory, other_quartier: Territory
) -> None:
    agent = UserFactory.create()
    RoleFactory.create(user=agent, role=Role.AGENT, territory=city)
    scope = backoffice_kit.scope_for(agent, backoffice_kit.AGENTS)
    assert not scope.city_wide
    assert {city.pk, quartier.pk, other_quartier.pk} <= scope.territory_ids
    assert backoffice_kit.scope_for(UserFactory.create(), backoffice_kit.AGENTS).is_empty
