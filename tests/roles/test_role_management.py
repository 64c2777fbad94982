"""Role management in the back office: who may see, grant and revoke which roles where."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.backoffice.roles import role_grant, role_revoke
from apps.core.models import AuditLogEntry, Role, RoleAssignment, Territory
from tests.conftest import Personas
from tests.factories import ProcessFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = reverse("backoffice:roles")
GRANT = reverse("backoffice:role_grant")


def _revoke_url(assignment: RoleAssignment) -> str:
    return reverse("backoffice:role_revoke", kwargs={"pk": assignment.pk})


@pytest.fixture
def city_admin() -> User:
    user = UserFactory.create(display_name="Admin Ville")
    RoleFactory.create(user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def newcomer() -> User:
    return UserFactory.create(email="Nouvelle.Agente@example.org", display_name="Nouvelle agente")


# --- who may open the pages ---------------------------------------------------------------


@pytest.mark.parametrize("url", [ROLES, GRANT])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 403),
        ("other_resident", 403),
        ("agent", 403),
        ("elu", 403),
        ("moderator", 403),
        ("admin_elsewhere", 200),
    ],
)
def test_only_administrators_open_the_role_pages(
    personas: Personas, client_for: Callable[[User | None], Client], url: str, persona: str, status: int
) -> None:
    assert client_for(personas[persona]).get(url).status_code == status


@pytest.mark.parametrize("url", [ROLES, GRANT])
def test_anonymous_visitors_are_sent_to_sign_in(client_for: Callable[[User | None], Client], url: str) -> None:
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_revoke_is_post_only_and_refused_to_non_administrators(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    own = personas["admin_elsewhere"].role_assignments.get()
    assert client_for(personas["admin_elsewhere"]).get(_revoke_url(own)).status_code == 405
    target = personas["agent"].role_assignments.get()
    for persona in ("resident", "agent", "elu", "moderator"):
        assert client_for(personas[persona]).post(_revoke_url(target)).status_code == 403
    anonymous = client_for(None).post(_revoke_url(target))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
    assert RoleAssignment.objects.filter(pk=target.pk).exists()


def test_the_dashboard_links_to_roles_for_administrators_only(
    personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    assert ROLES in client_for(personas["admin_elsewhere"]).get(reverse("backoffice:dashboard")).content.decode()
    assert ROLES not in client_for(personas["agent"]).get(reverse("backoffice:dashboard")).content.decode()


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_my_scope_only(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    other_quartier: Territory,
    quartier: Territory,
) -> None:
    elsewhere_process = ProcessFactory.create(territory=other_quartier, title="Les berges de Chantenay")
    helper = UserFactory.create(display_name="Chargée des berges")
    RoleFactory.create(user=helper, role=Role.AGENT, process=elsewhere_process)
    page = client_for(personas["admin_elsewhere"]).get(ROLES).content.decode()
    assert "Chargée des berges" in page  # a process inside my quartier
    assert "Admin_elsewhere" in page
    # The staff of the other quartier are not mine.
    for persona in ("agent", "elu", "moderator"):
        assert personas[persona].email not in page


def test_a_city_wide_administrator_sees_every_assignment(
    personas: Personas, client_for: Callable[[User | None], Client], city_admin: User
) -> None:
    page = client_for(city_admin).get(ROLES).content.decode()
    for persona in ("agent", "elu", "moderator", "admin_elsewhere"):
        assert personas[persona].email in page


def test_the_role_filter_is_an_allowlist(
    personas: Personas, client_for: Callable[[User | None], Client], city_admin: User
) -> None:
    client = client_for(city_admin)
    only_elus = client.get(ROLES, {"role": "elu"}).content.decode()
    assert personas["elu"].email in only_elus
    assert personas["agent"].email not in only_elus
    # An unknown value is ignored (no filter on arbitrary values): every assignment shows.
    response = client.get(ROLES, {"role": "user__password"})
    assert response.status_code == 200
    assert personas["agent"].email in response.content.decode()


def test_the_list_is_paginated_with_a_bounded_number_of_queries(
    client_for: Callable[[User | None], Client],
    city_admin: User,
    other_quartier: Territory,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(city_admin)
    for index in range(5):
        RoleFactory.create(
            user=UserFactory.create(display_name=f"A{index:03}"), role=Role.AGENT, territory=other_quartier
        )
    with django_assert_max_num_queries(12) as few:
        client.get(ROLES)
    for index in range(5, 70):
        RoleFactory.create(
            user=UserFactory.create(display_name=f"A{index:03}"),
            role=Role.AGENT,
            process=ProcessFactory.create(territory=other_quartier),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(ROLES)
    assert "A000" in first.content.decode() and "A069" not in first.content.decode()
    assert "A069" in client.get(ROLES, {"page": 2}).content.decode()


# --- granting ------------------------------------------------------------------------------


def _grant(client: Client, **data: Any) -> Any:
    return client.post(GRANT, data)


def test_an_administrator_grants_a_role_in_their_scope_once(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    other_quartier: Territory,
    newcomer: User,
) -> None:
    admin = personas["admin_elsewhere"]
    client = client_for(admin)
    data = {"email": "nouvelle.agente@example.org", "role": Role.AGENT, "scope": f"t{other_quartier.pk}"}
    response = _grant(client, **data)
    assert response.status_code == 302 and response["Location"] == ROLES
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert (assignment.role, assignment.territory, assignment.process) == (Role.AGENT, other_quartier, None)
    entry = AuditLogEntry.objects.get(action="role.grant")
    assert entry.actor == admin and entry.target_id == str(assignment.pk)
    assert entry.details == {"user": newcomer.pk, "role": "agent", "territory": other_quartier.pk, "process": None}
    # Granting it again changes nothing: no duplicate, no second audit entry.
    assert _grant(client, **data).status_code == 302
    assert RoleAssignment.objects.filter(user=newcomer).count() == 1
    assert AuditLogEntry.objects.filter(action="role.grant").count() == 1


def test_a_role_on_a_process_of_my_scope(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    other_quartier: Territory,
    quartier: Territory,
    newcomer: User,
) -> None:
    mine = ProcessFactory.create(territory=other_quartier)
    theirs = ProcessFactory.create(territory=quartier)
    client = client_for(personas["admin_elsewhere"])
    page = client.get(GRANT).content.decode()
    assert f'value="d{mine.pk}"' in page and f'value="d{theirs.pk}"' not in page
    refused = _grant(client, email=newcomer.email, role=Role.ELU, scope=f"d{theirs.pk}")
    assert refused.status_code == 400
    assert "pas dans le vôtre" in refused.content.decode()
    assert _grant(client, email=newcomer.email, role=Role.ELU, scope=f"d{mine.pk}").status_code == 302
    assert list(RoleAssignment.objects.filter(user=newcomer).values_list("role", "process")) == [(Role.ELU, mine.pk)]


@pytest.mark.parametrize("scope", ["ville", "quartier", "city"])
def test_nobody_grants_wider_than_their_own_scope(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    city: Territory,
    quartier: Territory,
    newcomer: User,
    scope: str,
) -> None:
    value = {"ville": "ville", "quartier": f"t{quartier.pk}", "city": f"t{city.pk}"}[scope]
    client = client_for(personas["admin_elsewhere"])
    assert 'value="ville"' not in client.get(GRANT).content.decode()
    response = _grant(client, email=newcomer.email, role=Role.ADMIN, scope=value)
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_the_services_refuse_a_wider_scope_too(
    personas: Personas, city: Territory, quartier: Territory, other_quartier: Territory, newcomer: User
) -> None:
    admin = personas["admin_elsewhere"]
    for scope in (
        {},
        {"territory": city},
        {"territory": quartier},
        {"process": ProcessFactory.create(territory=quartier)},
    ):
        with pytest.raises(PermissionDenied):
            role_grant(actor=admin, user=newcomer, role=Role.AGENT, **scope)
    process_admin = UserFactory.create()
    process = ProcessFactory.create(territory=other_quartier)
    RoleFactory.create(user=process_admin, role=Role.ADMIN, process=process)
    with pytest.raises(PermissionDenied):
        role_grant(actor=process_admin, user=newcomer, role=Role.AGENT, territory=other_quartier)
    assignment, created = role_grant(actor=process_admin, user=newcomer, role=Role.AGENT, process=process)
    assert created and assignment.process == process
    agent = personas["agent"]
    with pytest.raises(PermissionDenied):
        role_grant(actor=agent, user=newcomer, role=Role.AGENT, territory=quartier)
    assert RoleAssignment.objects.filter(user=newcomer).count() == 1


def test_a_city_wide_administrator_grants_city_wide_roles(
    client_for: Callable[[User | None], Client], city_admin: User, newcomer: User
) -> None:
    client = client_for(city_admin)
    assert 'value="ville"' in client.get(GRANT).content.decode()
    assert _grant(client, email=newcomer.email, role=Role.MODERATOR, scope="ville").status_code == 302
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert (assignment.role, assignment.territory_id, assignment.process_id) == (Role.MODERATOR, None, None)


def test_a_superuser_grants_city_wide_roles(newcomer: User) -> None:
    root = User.objects.create_superuser("root@example.org", "motdepasse-solide-42", display_name="Root")
    assignment, created = role_grant(actor=root, user=newcomer, role=Role.ADMIN)
    assert created and assignment.territory_id is None and assignment.process_id is None


def test_the_form_explains_its_errors_in_french(
    personas: Personas, client_for: Callable[[User | None], Client], other_quartier: Territory
) -> None:
    client = client_for(personas["admin_elsewhere"])
    response = _grant(client, email="inconnue@example.org", role="superadmin", scope="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Aucun compte actif n&#x27;utilise cette adresse" in page
    assert "Choisissez un rôle de la liste." in page
    assert "Choisissez le périmètre du rôle." in page
    assert not RoleAssignment.objects.filter(role="superadmin").exists()


def test_a_deleted_account_cannot_receive_a_role(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    other_quartier: Territory,
    newcomer: User,
) -> None:
    User.objects.filter(pk=newcomer.pk).update(is_active=False)
    response = _grant(
        client_for(personas["admin_elsewhere"]), email=newcomer.email, role=Role.AGENT, scope=f"t{other_quartier.pk}"
    )
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_granting_requires_a_csrf_token(personas: Personas, other_quartier: Territory, newcomer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["admin_elsewhere"])
    response = client.post(GRANT, {"email": newcomer.email, "role": Role.AGENT, "scope": f"t{other_quartier.pk}"})
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("scope", ["city", "territory", "process"])
def test_the_database_refuses_duplicate_assignments(newcomer: User, other_quartier: Territory, scope: str) -> None:
    wheres: dict[str, dict[str, Any]] = {
        "city": {},
        "territory": {"territory": other_quartier},
        "process": {"process": ProcessFactory.create(territory=other_quartier)},
    }
    where = wheres[scope]
    RoleAssignment.objects.create(user=newcomer, role=Role.AGENT, **where)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=newcomer, role=Role.AGENT, **where)
    # Another role on the same scope is a different assignment.
    RoleAssignment.objects.create(user=newcomer, role=Role.ELU, **where)
    assert RoleAssignment.objects.filter(user=newcomer).count() == 2


# --- revoking ------------------------------------------------------------------------------


def test_an_administrator_revokes_a_role_in_their_scope(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    other_quartier: Territory,
    newcomer: User,
) -> None:
    assignment = RoleFactory.create(user=newcomer, role=Role.AGENT, territory=other_quartier)
    response = client_for(personas["admin_elsewhere"]).post(_revoke_url(assignment))
    assert response.status_code == 302 and response["Location"] == ROLES
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = AuditLogEntry.objects.get(action="role.revoke")
    assert entry.actor == personas["admin_elsewhere"]
    assert entry.details["user"] == newcomer.pk and entry.details["territory"] == other_quartier.pk
    # Already gone: 404, nothing more audited.
    assert client_for(personas["admin_elsewhere"]).post(_revoke_url(assignment)).status_code == 404
    assert AuditLogEntry.objects.filter(action="role.revoke").count() == 1


def test_a_role_outside_my_scope_cannot_be_revoked(
    personas: Personas, client_for: Callable[[User | None], Client], city_admin: User
) -> None:
    client = client_for(personas["admin_elsewhere"])
    for assignment in (personas["agent"].role_assignments.get(), city_admin.role_assignments.get()):
        assert client.post(_revoke_url(assignment)).status_code == 403
        assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    with pytest.raises(PermissionDenied):
        role_revoke(actor=personas["admin_elsewhere"], assignment=city_admin.role_assignments.get())
    assert not AuditLogEntry.objects.filter(action="role.revoke").exists()


def test_nobody_revokes_their_own_last_admin_role(
    personas: Personas, client_for: Callable[[User | None], Client], city: Territory
) -> None:
    admin = personas["admin_elsewhere"]
    own = admin.role_assignments.get()
    response = client_for(admin).post(_revoke_url(own))
    assert response.status_code == 400
    assert "dernier rôle d&#x27;administrateur·rice" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    with pytest.raises(ValidationError):
        role_revoke(actor=admin, assignment=own)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_an_administrator_with_two_admin_roles_may_drop_one(
    client_for: Callable[[User | None], Client], city: Territory, other_quartier: Territory
) -> None:
    admin = UserFactory.create()
    wide = RoleFactory.create(user=admin, role=Role.ADMIN, territory=city)
    narrow = RoleFactory.create(user=admin, role=Role.ADMIN, territory=other_quartier)
    assert client_for(admin).post(_revoke_url(narrow)).status_code == 302
    assert list(RoleAssignment.objects.filter(user=admin)) == [wide]
    # The remaining one is now the last.
    assert client_for(admin).post(_revoke_url(wide)).status_code == 400
    assert RoleAssignment.objects.filter(pk=wide.pk).exists()


def test_a_revoked_administrator_loses_the_pages(
    personas: Personas, client_for: Callable[[User | None], Client], city_admin: User
) -> None:
    target = personas["admin_elsewhere"]
    assert client_for(city_admin).post(_revoke_url(target.role_assignments.get())).status_code == 302
    assert client_for(target).get(ROLES).status_code == 403


def test_role_changes_appear_in_the_audit_log_of_the_scope(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    city_admin: User,
    quartier: Territory,
    other_quartier: Territory,
    newcomer: User,
) -> None:
    mine = ProcessFactory.create(territory=other_quartier)
    role_grant(actor=city_admin, user=newcomer, role=Role.ELU, process=mine)
    revoked, _created = role_grant(actor=city_admin, user=newcomer, role=Role.AGENT, territory=other_quartier)
    role_revoke(actor=city_admin, assignment=revoked)
    role_grant(actor=city_admin, user=newcomer, role=Role.AGENT, territory=quartier)
    audit_log = reverse("backoffice:audit_log")
    mine_only = client_for(personas["admin_elsewhere"]).get(audit_log, {"action": "role.grant"}).content.decode()
    assert mine_only.count("<code>role.grant</code>") == 2  # the process and other_quartier, not quartier
    revocations = client_for(personas["admin_elsewhere"]).get(audit_log, {"action": "role.revoke"}).content.decode()
    assert revocations.count("<code>role.revoke</code>") == 1
    everything = client_for(city_admin).get(audit_log, {"action": "role.grant"}).content.decode()
    assert everything.count("<code>role.grant</code>") == 3
