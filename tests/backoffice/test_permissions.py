"""Every back-office URL × every persona."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import Process, Territory
from tests.backoffice.conftest import World
from tests.conftest import Personas

OK, DENIED, LOGIN, GONE = 200, 403, 302, 405

# (url name, object attribute for pk or None) → expected GET status for each persona in COLUMNS;
# anonymous people are always sent to the login page, the other resident is treated like the resident.
COLUMNS = ("resident", "agent", "elu", "moderator", "admin_elsewhere")
GET_MATRIX: dict[tuple[str, str | None], tuple[int, ...]] = {
    ("dashboard", None): (DENIED, OK, OK, OK, OK),
    ("process_create", None): (DENIED, OK, DENIED, DENIED, OK),
    ("process_edit", "process"): (DENIED, OK, DENIED, DENIED, DENIED),
    ("instruction", "process"): (DENIED, OK, OK, DENIED, DENIED),
    ("paper_entry", "process"): (DENIED, OK, DENIED, DENIED, DENIED),
    ("commitments", "process"): (DENIED, OK, OK, DENIED, DENIED),
    ("commitment_create", "process"): (DENIED, OK, OK, DENIED, DENIED),
    ("proposal", "proposal"): (DENIED, OK, OK, DENIED, DENIED),
    ("commitment", "commitment"): (DENIED, OK, OK, DENIED, DENIED),
    ("moderation", None): (DENIED, DENIED, DENIED, OK, OK),
    ("answer_templates", None): (DENIED, OK, DENIED, DENIED, OK),
    ("answer_template_create", None): (DENIED, OK, DENIED, DENIED, OK),
    ("answer_template_edit", "template"): (DENIED, OK, DENIED, DENIED, OK),
    ("audit_log", None): (DENIED, DENIED, DENIED, DENIED, OK),
}

POST_ONLY = [
    ("instruction_bulk", "process"),
    ("proposal_note", "proposal"),
    ("proposal_assign", "proposal"),
    ("proposal_study", "proposal"),
    ("proposal_answer", "proposal"),
    ("commitment_edit", "commitment"),
    ("commitment_update", "commitment"),
    ("comment_hide", "comment"),
    ("report_dismiss", "comment"),
]


# Pages the proposals module mounts under /gestion/ (apps/proposals/backoffice), and the
# moderation queue apps.discussion mounts there.
PROPOSALS_PAGES = frozenset(
    {
        "instruction",
        "paper_entry",
        "proposal",
        "answer_templates",
        "answer_template_create",
        "answer_template_edit",
        "instruction_bulk",
        "proposal_note",
        "proposal_assign",
        "proposal_study",
        "proposal_answer",
    }
)
DISCUSSION_PAGES = frozenset({"moderation", "comment_hide", "report_dismiss"})


def _url(world: World, name: str, attr: str | None) -> str:
    if name in PROPOSALS_PAGES:
        namespace = "proposals_admin"
    elif name in DISCUSSION_PAGES:
        namespace = "discussion"
    else:
        namespace = "backoffice"
    if attr is None:
        return reverse(f"{namespace}:{name}")
    return reverse(f"{namespace}:{name}", kwargs={"pk": getattr(world, attr).pk})


def _cases() -> list[Any]:
    cases = []
    for (name, attr), statuses in GET_MATRIX.items():
        expected = {**dict(zip(COLUMNS, statuses, strict=True)), "anonymous": LOGIN}
        expected["other_resident"] = expected["resident"]
        for persona, status in expected.items():
            cases.append(pytest.param(name, attr, persona, status, id=f"{name}-{persona}"))
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "attr", "persona", "status"), _cases())
def test_get_matrix(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    name: str,
    attr: str | None,
    persona: str,
    status: int,
) -> None:
    response = client_for(personas[persona]).get(_url(world, name, attr))
    assert response.status_code == status
    if status == LOGIN:
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "attr"), POST_ONLY)
def test_post_only_urls_refuse_get_and_guard_anonymous(
    world: World, personas: Personas, client_for: Callable[[User | None], Client], name: str, attr: str
) -> None:
    url = _url(world, name, attr)
    assert client_for(personas["agent"]).get(url).status_code in {GONE}
    anonymous = client_for(None).post(url, {})
    assert anonymous.status_code == LOGIN
    assert reverse("accounts:login") in anonymous["Location"]
    for persona in ("resident", "other_resident", "admin_elsewhere"):
        assert client_for(personas[persona]).post(url, {}).status_code == DENIED, persona


# Who may POST each action on this quartier's objects (others get 403).
POST_ALLOWED = {
    "instruction_bulk": {"agent", "elu"},
    "proposal_note": {"agent", "elu"},
    "proposal_assign": {"agent"},
    "proposal_study": {"agent"},
    "proposal_answer": {"agent", "elu"},
    "commitment_edit": {"agent", "elu"},
    "commitment_update": {"agent", "elu"},
    "comment_hide": {"moderator"},
    "report_dismiss": {"moderator"},
}


def _valid_post(world: World, name: str) -> dict[str, Any]:
    posts: dict[str, dict[str, Any]] = {
        "instruction_bulk": {"action": "answer", "proposals": [world.proposal.pk], "template": world.template.pk},
        "proposal_note": {"body": "Voir avec la voirie."},
        "proposal_assign": {"service": world.service.pk},
        "proposal_study": {},
        "proposal_answer": {"status": "not_retained", "body": "Le budget de cette année ne le permet pas, hélas."},
        "commitment_edit": {"service": world.service.pk, "planned_date": "2030-01-31"},
        "commitment_update": {"date": "2026-03-01", "body": "Études lancées.", "progress": 10, "state": "in_progress"},
        "comment_hide": {"reason": "Injure"},
        "report_dismiss": {},
    }
    return posts[name]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "attr"), POST_ONLY)
@pytest.mark.parametrize("persona", ["agent", "elu", "moderator"])
def test_post_matrix_for_staff(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    name: str,
    attr: str,
    persona: str,
) -> None:
    response = client_for(personas[persona]).post(_url(world, name, attr), _valid_post(world, name))
    if persona in POST_ALLOWED[name]:
        assert response.status_code == 302, response.content[:2000]
    else:
        assert response.status_code == DENIED


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["collect", "analysis", "followup"])
def test_instruction_open_before_during_after_collect(
    process_in_phase: Callable[..., Process],
    personas: Personas,
    client_for: Callable[[User | None], Client],
    kind: str,
) -> None:
    """Instruction does not depend on the phase: agents work on every process in scope."""
    process = process_in_phase(kind)
    url = reverse("proposals_admin:instruction", kwargs={"pk": process.pk})
    assert client_for(personas["agent"]).get(url).status_code == OK
    assert client_for(personas["admin_elsewhere"]).get(url).status_code == DENIED


@pytest.mark.django_db
def test_dashboard_lists_only_processes_in_scope(
    world: World,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    other_quartier: Territory,
) -> None:
    from tests.factories import ProcessFactory

    elsewhere = ProcessFactory.create(territory=other_quartier, title="Démarche de Bellevue")
    agent_page = client_for(personas["agent"]).get(reverse("backoffice:dashboard")).content.decode()
    admin_page = client_for(personas["admin_elsewhere"]).get(reverse("backoffice:dashboard")).content.decode()
    assert world.process.title in agent_page and elsewhere.title not in agent_page
    assert elsewhere.title in admin_page and world.process.title not in admin_page


@pytest.mark.django_db
def test_moderation_queue_scoped(world: World, personas: Personas, client_for: Callable[[User | None], Client]) -> None:
    moderator_page = client_for(personas["moderator"]).get(reverse("discussion:moderation")).content.decode()
    admin_page = client_for(personas["admin_elsewhere"]).get(reverse("discussion:moderation")).content.decode()
    assert "Propos insultants" in moderator_page
    assert "Propos insultants" not in admin_page
