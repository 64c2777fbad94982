"""Processes and their phases; dashboard counts and overdue answers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from apps.accounts.models import User
from apps.core.models import AuditLogEntry, Phase, Process, Territory
from apps.proposals.models import Status
from tests.backoffice.conftest import World
from tests.conftest import Personas
from tests.factories import ProcessFactory, ProposalFactory, ThemeFactory, make_answer


def _process_data(territory_pk: int, **extra: Any) -> dict[str, Any]:
    data = {
        "title": "Réaménager la place du marché",
        "slug": "",
        "summary": "Ensemble, imaginons la place.",
        "description": "Une **concertation** ouverte.",
        "territory": territory_pk,
        "participation_level": "concertation",
        "rules_open": "Le mobilier, les plantations.",
        "rules_closed": "Le stationnement des bus.",
        "rules_decider": "Le conseil municipal.",
        "rules_use": "Chaque proposition reçoit une réponse.",
        "answer_due": "2026-12-15",
        "falc_summary": "On change la place. Donnez votre avis.",
        "is_published": "on",
        "etapes-TOTAL_FORMS": "2",
        "etapes-INITIAL_FORMS": "0",
        "etapes-MIN_NUM_FORMS": "0",
        "etapes-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def _phase(index: int, kind: str, start: str, end: str, title: str = "") -> dict[str, str]:
    return {
        f"etapes-{index}-module_kind": f"proposals:{kind}",
        f"etapes-{index}-title": title or kind,
        f"etapes-{index}-description": "",
        f"etapes-{index}-starts_at": start,
        f"etapes-{index}-ends_at": end,
    }


@pytest.mark.django_db
def test_create_process_with_phases(
    personas: Personas, client_for: Callable[[User | None], Client], quartier: Territory
) -> None:
    theme = ThemeFactory.create(name="Nature en ville")
    data = _process_data(
        quartier.pk,
        themes=[theme.pk],
        **_phase(0, "collect", "2026-03-01T09:00", "2026-04-01T09:00", "Dépôt"),
        **_phase(1, "analysis", "2026-04-01T09:00", "2026-06-01T09:00", "Instruction"),
    )
    response = client_for(personas["agent"]).post(reverse("backoffice:process_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    process = Process.objects.get(title="Réaménager la place du marché")
    assert process.slug == "reamenager-la-place-du-marche"
    assert list(process.themes.all()) == [theme]
    assert process.is_published and process.falc_summary.startswith("On change")
    phases = list(process.phases.order_by("starts_at"))
    assert [(p.module, p.kind, p.title) for p in phases] == [
        ("proposals", "collect", "Dépôt"),
        ("proposals", "analysis", "Instruction"),
    ]
    assert timezone.localtime(phases[0].starts_at).hour == 9
    assert AuditLogEntry.objects.filter(action="process.create", target_id=str(process.pk)).exists()


@pytest.mark.django_db
def test_phase_overlap_and_order_errors_in_french(
    personas: Personas, client_for: Callable[[User | None], Client], quartier: Territory
) -> None:
    overlapping = _process_data(
        quartier.pk,
        **_phase(0, "collect", "2026-03-01T09:00", "2026-04-15T09:00", "Dépôt"),
        **_phase(1, "analysis", "2026-04-01T09:00", "2026-06-01T09:00", "Instruction"),
    )
    response = client_for(personas["agent"]).post(reverse("backoffice:process_create"), overlapping)
    assert response.status_code == 400
    content = response.content.decode()
    assert "se chevauchent" in content
    assert "Réaménager la place du marché" in content  # what was typed is kept
    backwards = _process_data(quartier.pk, **_phase(0, "collect", "2026-04-01T09:00", "2026-03-01T09:00"))
    response = client_for(personas["agent"]).post(reverse("backoffice:process_create"), backwards)
    assert response.status_code == 400
    assert "La fin de l&#x27;étape doit venir après son début." in response.content.decode()
    assert not Process.objects.exists()


@pytest.mark.django_db
def test_territory_limited_to_scope(
    personas: Personas, client_for: Callable[[User | None], Client], other_quartier: Territory
) -> None:
    response = client_for(personas["agent"]).post(
        reverse("backoffice:process_create"), _process_data(other_quartier.pk)
    )
    assert response.status_code == 400
    assert not Process.objects.exists()


@pytest.mark.django_db
def test_edit_process_updates_deletes_phases_and_audits(
    world: World, personas: Personas, client_for: Callable[[User | None], Client]
) -> None:
    process = world.process
    phases = list(process.phases.order_by("starts_at"))
    data = _process_data(process.territory_id, title="Titre modifié", slug=process.slug)
    data.update({"etapes-TOTAL_FORMS": str(len(phases)), "etapes-INITIAL_FORMS": str(len(phases))})
    for index, phase in enumerate(phases):
        data.update(
            {
                f"etapes-{index}-id": str(phase.pk),
                f"etapes-{index}-process": str(process.pk),
                f"etapes-{index}-module_kind": f"{phase.module}:{phase.kind}",
                f"etapes-{index}-title": phase.title,
                f"etapes-{index}-starts_at": timezone.localtime(phase.starts_at).strftime("%Y-%m-%dT%H:%M"),
                f"etapes-{index}-ends_at": timezone.localtime(phase.ends_at).strftime("%Y-%m-%dT%H:%M"),
            }
        )
    data["etapes-0-DELETE"] = "on"
    response = client_for(personas["agent"]).post(reverse("backoffice:process_edit", kwargs={"pk": process.pk}), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    process.refresh_from_db()
    assert process.title == "Titre modifié"
    assert not Phase.objects.filter(pk=phases[0].pk).exists()
    assert process.phases.count() == len(phases) - 1
    entry = AuditLogEntry.objects.get(action="process.update")
    assert "title" in entry.details["fields"]
    # An élu may not edit, even by POST.
    assert (
        client_for(personas["elu"])
        .post(reverse("backoffice:process_edit", kwargs={"pk": process.pk}), data)
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_dashboard_counts_and_overdue_with_frozen_clock(
    personas: Personas, client_for: Callable[[User | None], Client], quartier: Territory
) -> None:
    with time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC), tick=False):
        process = ProcessFactory.create(territory=quartier, answer_due=datetime.date(2026, 6, 1))
        proposals = ProposalFactory.create_batch(3, process=process)
        make_answer(proposal=proposals[0], status=Status.ACCEPTED, body="Réponse argumentée complète.")
        client = client_for(personas["agent"])
        before = client.get(reverse("backoffice:dashboard"))
        row = before.context["rows"][0]
        assert (row["process"].proposal_total, row["process"].awaiting_total, row["overdue"]) == (3, 2, 0)
    with time_machine.travel(datetime.datetime(2026, 6, 2, 12, tzinfo=datetime.UTC), tick=False):
        after = client_for(personas["agent"]).get(reverse("backoffice:dashboard"))
        assert after.context["rows"][0]["overdue"] == 2
        assert "2 en retard" in after.content.decode()


@pytest.mark.django_db
def test_dashboard_query_count_bounded(
    personas: Personas,
    client_for: Callable[[User | None], Client],
    quartier: Territory,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(personas["agent"])
    ProcessFactory.create_batch(2, territory=quartier)
    # The "À faire" summary asks each module's to-do provider (a few queries each, however many
    # processes there are); what matters is that the count does not grow with the rows below.
    # 52 on 3 December 2026 (directory entries, closing reports, statements and syntheses to review).
    with django_assert_max_num_queries(55) as small:
        client.get(reverse("backoffice:dashboard"))
    ProcessFactory.create_batch(20, territory=quartier)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("backoffice:dashboard"))
    assert len(response.context["rows"]) == 22
