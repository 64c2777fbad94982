"""Questionnaire results from a snapshot: the database adds up the answers (the same rows as a
Python scan), new answers mark the snapshot stale and the task queue refreshes it, a visit never
scans the responses once the snapshot exists, an older computation never overwrites a newer, and
answers arriving together all end up counted."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from apps.accounts.models import User
from apps.consultations.models import Response, ResultsSnapshot, Site
from apps.consultations.questionnaires import aggregates, results, services, snapshots
from apps.consultations.questionnaires.answers import parse
from apps.consultations.questionnaires.sample import sample_answers
from apps.core.models import Territory
from tests.conftest import Personas
from tests.consultations.test_questionnaires import make_questionnaire


def _form(data: dict[str, Any]) -> MultiValueDict[str, Any]:
    return MultiValueDict({key: value if isinstance(value, list) else [value] for key, value in data.items()})


def _fill(questionnaire: Any, questions: list[Any], n: int, **profile: Any) -> None:
    for i in range(n):
        found, errors = parse(questions, _form(sample_answers(questions, i)))
        assert not errors
        Response.objects.create(questionnaire=questionnaire, answers=found, **profile)


@pytest.mark.django_db
def test_database_rows_equal_a_python_scan(quartier: Territory, other_quartier: Territory) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the SQL aggregation is PostgreSQL's")
    questionnaire, questions = make_questionnaire(quartier)
    site = Site.objects.create(questionnaire=questionnaire, name="Salle", territory=quartier)
    _fill(questionnaire, questions, 17, site=site, territory=quartier, age_band="30-44")
    _fill(questionnaire, questions, 9, territory=other_quartier)
    answers, profile = aggregates.rows_sql(questionnaire.pk)
    in_sql = sorted(answers, key=repr)
    in_python = sorted(aggregates.answer_rows_python(questionnaire.pk), key=repr)
    assert in_sql == in_python
    assert sorted(profile, key=repr) == sorted(aggregates.profile_rows(questionnaire.pk), key=repr)
    ranking = questions[4]
    # 26 rankings of three items: the ranks of each item add up to 26 × (1 + 2 + 3) in all.
    assert sum(row[6] for row in in_sql if row[0] == ranking.pk) == 26 * 6
    data = results.questionnaire_results(questionnaire)
    assert data["total"] == 26
    assert data["results"][0].answered == 26 and data["results"][0].table[0][1] == "< 11"  # 9 of 26


@pytest.mark.django_db
def test_new_answers_refresh_the_snapshot(
    quartier: Territory,
    personas: Personas,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    _fill(questionnaire, questions, 12)
    url = reverse("consultations:questionnaire_results", args=[questionnaire.pk])
    agent_client = client_for(personas["agent"])
    assert "Nombre de réponses : 12" in agent_client.get(url).content.decode().replace("\xa0", " ")
    snapshot = ResultsSnapshot.objects.get(pk=questionnaire.pk)
    assert not snapshot.stale and snapshot.computed_at is not None
    # Responses written behind the services' back are not seen: the page reads the snapshot.
    _fill(questionnaire, questions, 3)
    assert "Nombre de réponses : 12" in agent_client.get(url).content.decode().replace("\xa0", " ")
    # An answer through the service marks it stale once committed; the (immediate) task refreshes.
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit(questionnaire=questionnaire, person=None, data=_form(sample_answers(questions, 1)))
    snapshot.refresh_from_db()
    assert not snapshot.stale
    assert "Nombre de réponses : 16" in agent_client.get(url).content.decode().replace("\xa0", " ")


@pytest.mark.django_db
def test_a_stale_snapshot_is_shown_until_the_queue_refreshes_it(quartier: Territory) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    _fill(questionnaire, questions, 2)
    first = snapshots.current(questionnaire.pk)
    assert first.data["profile"] == [[None, "", None, 2]]
    _fill(questionnaire, questions, 1)
    ResultsSnapshot.objects.filter(pk=questionnaire.pk).update(stale=True)
    assert snapshots.current(questionnaire.pk).data == first.data  # the queue is not late yet
    ResultsSnapshot.objects.filter(pk=questionnaire.pk).update(
        computed_at=timezone.now() - snapshots.WORKER_LATE - datetime.timedelta(seconds=1)
    )
    late = snapshots.current(questionnaire.pk)  # the queue is late: the visit adds up itself
    assert late.data["profile"] == [[None, "", None, 3]] and not late.stale


@pytest.mark.django_db
def test_an_older_computation_never_overwrites_a_newer_one(quartier: Territory) -> None:
    questionnaire, questions = make_questionnaire(quartier)
    _fill(questionnaire, questions, 2)
    snapshots.refresh(questionnaire.pk)
    later = timezone.now() + datetime.timedelta(minutes=1)
    ResultsSnapshot.objects.filter(pk=questionnaire.pk).update(computed_at=later, data={"answers": [], "profile": []})
    _fill(questionnaire, questions, 1)
    kept = snapshots.refresh(questionnaire.pk)  # started before ``later``: its sums are dropped
    assert kept.data == {"answers": [], "profile": []} and kept.computed_at == later


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_answers_all_end_up_in_the_snapshot(quartier: Territory) -> None:
    """20 answers at once, each flipping the flag and (huey in immediate mode) refreshing in its
    own thread: when all are done the snapshot is fresh and counts every one of them."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    import threading

    from django.db import connections

    questionnaire, questions = make_questionnaire(quartier)
    snapshots.current(questionnaire.pk)  # the first visit made it
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def answer(variant: int) -> None:
        try:
            barrier.wait(timeout=180)
            services.response_submit(
                questionnaire=questionnaire, person=None, data=_form(sample_answers(questions, variant))
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == []
    snapshot = ResultsSnapshot.objects.get(pk=questionnaire.pk)
    assert not snapshot.stale
    assert snapshot.data["profile"] == [[None, "", None, 20]]
