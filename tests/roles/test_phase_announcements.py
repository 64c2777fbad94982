"""Phase-start notifications: announced once to the followers of the process, its quartier
and the city, never for an unpublished process, never as a backlog of stale news."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from pytest_django import DjangoCaptureOnCommitCallbacks

from apps.accounts.models import User
from apps.core.models import Phase, Process, Territory
from apps.notifications import services
from apps.notifications.models import Notification
from apps.notifications.services import follow, notify_started_phases
from apps.notifications.tasks import announce_started_phases_task
from tests.factories import ProcessFactory, UserFactory

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _process(territory: Any, *, published: bool = True, start: datetime.datetime = START, title: str = "") -> Process:
    process = ProcessFactory.create(
        territory=territory, is_published=published, title=title or "Réinventer la place du marché"
    )
    process.phases.create(
        module="proposals",
        kind="collect",
        title="Dépôt des idées",
        description="Proposez vos idées pour la place.",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=30),
    )
    return process


@pytest.fixture
def followers(city: Territory, quartier: Territory, other_quartier: Territory) -> dict[str, User]:
    return {
        "process": UserFactory.create(email="demarche@example.org"),
        "quartier": UserFactory.create(email="quartier@example.org", email_frequency=User.EmailFrequency.DAILY),
        "city": UserFactory.create(email="ville@example.org", email_frequency=User.EmailFrequency.NEVER),
        "both": UserFactory.create(email="les-deux@example.org"),
        "elsewhere": UserFactory.create(email="ailleurs@example.org"),
        "nobody": UserFactory.create(email="personne@example.org"),
    }


def _follow_all(followers: dict[str, User], process: Process, city: Any, quartier: Any, other_quartier: Any) -> None:
    follow(user=followers["process"], process=process)
    follow(user=followers["quartier"], territory=quartier)
    follow(user=followers["city"], territory=city)
    follow(user=followers["both"], process=process)
    follow(user=followers["both"], territory=quartier)
    follow(user=followers["elsewhere"], territory=other_quartier)


def _notified() -> list[str]:
    return sorted(Notification.objects.filter(kind=Notification.Kind.PROCESS).values_list("user__email", flat=True))


EXPECTED = sorted(["demarche@example.org", "quartier@example.org", "ville@example.org", "les-deux@example.org"])


@pytest.mark.django_db
def test_a_phase_that_starts_is_announced_once_to_each_follower(
    followers: dict[str, User],
    city: Territory,
    quartier: Territory,
    other_quartier: Territory,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    process = _process(quartier)
    _follow_all(followers, process, city, quartier, other_quartier)

    with time_machine.travel(START - datetime.timedelta(minutes=5), tick=False):
        assert notify_started_phases() == 0
    assert _notified() == []
    assert Phase.objects.get(process=process).start_announced_at is None

    with (
        time_machine.travel(START + datetime.timedelta(minutes=7), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notify_started_phases() == 4
        # A second run (the next tick, or a second worker) announces nothing more.
        assert notify_started_phases() == 0
    assert _notified() == EXPECTED  # one each, including the person following twice

    notification = Notification.objects.get(user=followers["process"])
    assert notification.title == "Nouvelle étape : Dépôt des idées — Réinventer la place du marché"
    assert notification.url == process.get_absolute_url()
    assert Phase.objects.get(process=process).start_announced_at == START + datetime.timedelta(minutes=7)
    # Emails follow each person's frequency: immediate now, the digest later, never nothing.
    assert sorted(message.to[0] for message in mail.outbox) == ["demarche@example.org", "les-deux@example.org"]
    assert "Nouvelle étape" in mail.outbox[0].subject


@pytest.mark.django_db
def test_the_periodic_task_runs_the_same_function(followers: dict[str, User], quartier: Territory) -> None:
    process = _process(quartier)
    follow(user=followers["process"], process=process)
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        announce_started_phases_task.call_local()
        announce_started_phases_task.call_local()
    assert _notified() == ["demarche@example.org"]


@pytest.mark.django_db
def test_an_unpublished_process_notifies_nobody(
    followers: dict[str, User], city: Territory, quartier: Territory, other_quartier: Territory
) -> None:
    process = _process(quartier, published=False)
    _follow_all(followers, process, city, quartier, other_quartier)
    with time_machine.travel(START + datetime.timedelta(minutes=7), tick=False):
        assert notify_started_phases() == 0
    assert _notified() == []
    # Left unannounced: published while the news is fresh, it is announced then.
    assert Phase.objects.get(process=process).start_announced_at is None
    Process.objects.filter(pk=process.pk).update(is_published=True)
    with time_machine.travel(START + datetime.timedelta(hours=5), tick=False):
        assert notify_started_phases() == 4
    assert _notified() == EXPECTED


@pytest.mark.django_db
def test_old_phases_are_marked_without_notifying(
    followers: dict[str, User], city: Territory, quartier: Territory, other_quartier: Territory
) -> None:
    old = _process(quartier, start=START - datetime.timedelta(days=3), title="Ancienne démarche")
    fresh = _process(quartier, start=START - datetime.timedelta(days=1), title="Démarche récente")
    follow(user=followers["process"], process=old)
    follow(user=followers["quartier"], territory=quartier)
    with time_machine.travel(START, tick=False):
        assert notify_started_phases() == 1
    # Only the phase that started yesterday is news; both are now marked.
    assert list(Notification.objects.values_list("user__email", "title")) == [
        ("quartier@example.org", "Nouvelle étape : Dépôt des idées — Démarche récente")
    ]
    assert Phase.objects.get(process=old).start_announced_at == START
    assert Phase.objects.get(process=fresh).start_announced_at == START
    # An unpublished process that was never announced is skipped as well once its news is stale.
    draft = _process(quartier, published=False, start=START - datetime.timedelta(days=3))
    with time_machine.travel(START, tick=False):
        notify_started_phases()
    assert Phase.objects.get(process=draft).start_announced_at == START


@pytest.mark.django_db
def test_a_phase_claimed_by_another_worker_is_not_announced_twice(
    followers: dict[str, User], quartier: Territory, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _process(quartier, title="Première")
    second = _process(quartier, title="Seconde", start=START + datetime.timedelta(minutes=1))
    follow(user=followers["quartier"], territory=quartier)
    real_announce = services._announce_phase

    def announce_then_race(phase: Phase) -> int:
        # While this worker announces the first phase, another one claims the second.
        Phase.objects.filter(process=second).update(start_announced_at=START)
        return real_announce(phase)

    monkeypatch.setattr(services, "_announce_phase", announce_then_race)
    with time_machine.travel(START + datetime.timedelta(minutes=5), tick=False):
        assert notify_started_phases() == 1
    assert list(Notification.objects.values_list("title", flat=True)) == ["Nouvelle étape : Dépôt des idées — Première"]
    assert Phase.objects.get(process=first).start_announced_at == START + datetime.timedelta(minutes=5)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_announce_each_phase_once(followers: dict[str, User], quartier: Territory) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking between workers is tested on PostgreSQL")
    for index in range(5):
        process = _process(quartier, title=f"Démarche {index}")
        follow(user=followers["process"], process=process)
    workers = 6
    barrier = threading.Barrier(workers)
    results: list[int | str] = [0] * workers

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = notify_started_phases(now=START + datetime.timedelta(minutes=3))
        except Exception as exc:  # reported by the assertion below
            results[index] = f"{type(exc).__name__}: {exc}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    counts = [result for result in results if isinstance(result, int)]
    assert len(counts) == len(results), results
    assert sum(counts) == 5
    assert Notification.objects.filter(user=followers["process"]).count() == 5
