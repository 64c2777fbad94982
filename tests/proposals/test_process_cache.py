"""The process, its territory and its phases are cached (apps.core.process_cache), and so is the
link to a proposal's commitment: an edit in the back office or the follow-up shows at once."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from apps.accounts.models import User
from apps.backoffice.services import PhaseData, process_save
from apps.core import process_cache
from apps.core.models import Phase, Process, Territory
from apps.followup import services as followup
from apps.followup.models import Commitment
from apps.proposals.models import Proposal
from tests.conftest import Personas
from tests.factories import ProposalFactory

CREATE = "Déposer une proposition"
EDIT = "Modifier ma proposition"


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code in {200, 404}
    return response


def _html(client: Client, url: str) -> str:
    response = _get(client, url)
    assert response.status_code == 200
    return str(response.content.decode())


def _values(process: Process, **changes: Any) -> dict[str, Any]:
    from apps.backoffice.services import PROCESS_FIELDS

    return {**{name: getattr(process, name) for name in PROCESS_FIELDS}, **changes}


def _phases(process: Process, *, collect_ends: datetime.datetime) -> list[PhaseData]:
    """The process's phases as the back-office formset sends them, the collect phase ending at
    ``collect_ends`` and the support phase starting then."""
    rows = []
    for phase in process.ordered_phases():
        starts, ends = phase.starts_at, phase.ends_at
        if phase.kind == "collect":
            ends = collect_ends
        elif phase.kind == "support":
            starts = collect_ends
        rows.append(PhaseData(phase.pk, phase.module, phase.kind, phase.title, phase.description, starts, ends))
    return rows


@dataclass
class Scene:
    """A process in its collect phase with one proposal, the personas and a client factory."""

    process: Process
    proposal: Proposal
    personas: Personas
    client_for: Callable[[User | None], Client]
    capture_on_commit: DjangoCaptureOnCommitCallbacks

    @property
    def list_url(self) -> str:
        return reverse("proposals:list", args=[self.process.slug])

    @property
    def url(self) -> str:
        return self.proposal.get_absolute_url()

    def save_in_back_office(self, *, collect_ends: datetime.datetime | None = None, **changes: Any) -> None:
        """The agent saves the process form (``changes`` to its fields, the collect phase
        ending at ``collect_ends``), its on-commit callbacks run."""
        process = self.process
        ends = collect_ends or process.phases.get(kind="collect").ends_at
        with self.capture_on_commit(execute=True):
            process_save(
                actor=self.personas["agent"],
                process=process,
                values=_values(process, **changes),
                themes=list(process.themes.all()),
                phases=_phases(process, collect_ends=ends),
            )


@pytest.fixture
def scene(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    proposal: Proposal,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> Scene:
    return Scene(collect_process, proposal, personas, client_for, django_capture_on_commit_callbacks)


def test_a_phase_edited_in_the_back_office_shows_at_once(scene: Scene) -> None:
    resident = scene.client_for(scene.personas["resident"])
    assert CREATE in _html(resident, scene.list_url)
    assert CREATE in _html(resident, scene.list_url)  # the process now comes from the cache
    assert EDIT in _html(resident, scene.url)
    scene.save_in_back_office(collect_ends=timezone.now() - datetime.timedelta(hours=1))
    # The collect phase is over: no more new proposals, nor edits of the author's own.
    assert CREATE not in _html(resident, scene.list_url)
    assert EDIT not in _html(resident, scene.url)


def test_an_unpublished_process_disappears_at_once(scene: Scene) -> None:
    anonymous = scene.client_for(None)
    for _ in range(2):
        _html(anonymous, scene.list_url)
        _html(anonymous, scene.url)
    scene.save_in_back_office(is_published=False)
    assert _get(anonymous, scene.list_url).status_code == 404
    assert _get(anonymous, scene.url).status_code == 404
    assert _get(scene.client_for(scene.personas["agent"]), scene.list_url).status_code == 200  # staff see the draft


def test_a_moved_territory_changes_who_moderates_at_once(
    client_for: Callable[[User | None], Client],
    personas: Personas,
    collect_process: Process,
    proposal: Proposal,
    comment: Any,
    other_quartier: Territory,
) -> None:
    """The moderator's role is scoped to the process's quartier: the cached territory chain
    must follow a process moved to another quartier, and a quartier moved under another one."""
    moderator = client_for(personas["moderator"])
    hide = reverse("proposals:comment_hide", args=[comment.pk])
    assert hide in _html(moderator, proposal.get_absolute_url())
    collect_process.territory = other_quartier
    collect_process.save()
    assert hide not in _html(moderator, proposal.get_absolute_url())
    quartier = personas["moderator"].role_assignments.get().territory
    assert quartier is not None
    other_quartier.parent = quartier  # now a sub-territory of the moderator's quartier
    other_quartier.save()
    assert hide in _html(moderator, proposal.get_absolute_url())


def test_every_request_gets_its_own_instances(collect_process: Process) -> None:
    first, second = (process_cache.process_by_slug(collect_process.slug) for _ in range(2))
    assert first is not None and second is not None and first is not second
    first.title = "Changé en mémoire"
    assert second.title == collect_process.title
    by_pk = process_cache.process_by_pk(collect_process.pk)
    assert by_pk is not None and by_pk.title == collect_process.title
    assert process_cache.process_by_slug("inconnue") is None


def test_a_new_phase_or_a_deleted_one_bumps_the_version(collect_process: Process) -> None:
    before = process_cache.version()
    phase = Phase.objects.create(
        process=collect_process,
        module="proposals",
        kind="followup",
        title="Encore",
        starts_at=timezone.now() + datetime.timedelta(days=400),
        ends_at=timezone.now() + datetime.timedelta(days=430),
    )
    after_create = process_cache.version()
    phase.delete()
    assert before != after_create != process_cache.version()
    cached = process_cache.process_by_pk(collect_process.pk)
    assert cached is not None and phase.pk not in {p.pk for p in cached.phases.all()}


def test_the_page_loads_its_process_from_the_cache(
    client_for: Callable[[User | None], Client],
    proposal: Proposal,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    anonymous = client_for(None)
    url = proposal.get_absolute_url()
    _html(anonymous, url)
    # The proposal's own row; process, phases, text, answers, commitment and threads are cached.
    with django_assert_num_queries(1):
        _html(anonymous, url)


def test_a_commitment_shows_on_the_page_at_once(scene: Scene) -> None:
    anonymous = scene.client_for(None)
    url = scene.url
    assert "Engagement de la Ville" not in _html(anonymous, url)
    assert "Engagement de la Ville" not in _html(anonymous, url)  # cached: no commitment
    with scene.capture_on_commit(execute=True):
        commitment = followup.commitment_from_source(
            actor=scene.personas["agent"],
            source=scene.proposal,
            process=scene.process,
            title="Bancs posés place Viarme",
        )
    html = _html(anonymous, url)
    assert "Bancs posés place Viarme" in html and "avancement 0" in html
    assert reverse("followup:commitment", args=[commitment.pk]) in html
    followup.commitment_update(
        actor=scene.personas["agent"],
        commitment=commitment,
        date=timezone.localdate(),
        body="Les bancs sont commandés.",
        progress=40,
        state=Commitment.State.IN_PROGRESS,
    )
    html = _html(anonymous, url)
    assert "avancement 40" in html and "En cours" in html
    commitment.delete()
    assert "Engagement de la Ville" not in _html(anonymous, url)


def test_a_commitment_moved_to_another_proposal_leaves_the_first_page_at_once(scene: Scene) -> None:
    anonymous = scene.client_for(None)
    other = ProposalFactory.create(process=scene.process)
    with scene.capture_on_commit(execute=True):
        commitment = followup.commitment_from_source(
            actor=scene.personas["agent"],
            source=scene.proposal,
            process=scene.process,
            title="Bancs posés place Viarme",
        )
    assert "Bancs posés place Viarme" in _html(anonymous, scene.url)
    assert "Bancs posés place Viarme" not in _html(anonymous, other.get_absolute_url())  # both pages now cached
    # Moved by an instance loaded before (the admin's form, a stale service): the stored row says where it was.
    stale = Commitment.objects.get(pk=commitment.pk)
    stale.source_id = other.pk
    stale.save()
    assert "Bancs posés place Viarme" not in _html(anonymous, scene.url)
    assert "Bancs posés place Viarme" in _html(anonymous, other.get_absolute_url())
