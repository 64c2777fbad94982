"""The rollup the indicators read (issue 14's benchmark: 5 million events in ≤ 5 s) gives the
same figures as the raw events, on random worlds: inserts one by one and in bulk, a move, an
account deleted (``person`` set NULL), a vote close's reshuffle (delete and re-insert), events
with no process, no territory or no account, over two years."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.db.models import Model, Sum
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Channel, ParticipationEvent, Process, Territory
from apps.core.participation import record, reshuffle
from apps.indicators import exports, rollup, selectors, sources
from apps.indicators.models import ParticipantRollup, ParticipationRollup
from apps.indicators.views import scope_context
from tests.factories import ProcessFactory, UserFactory
from tests.security.modules.indicators import reference_rows

pytestmark = pytest.mark.django_db

AGES = ("u18", "18-29", "30-44", "45-59", "60-74", "75+", "")
YEAR = timezone.localdate().year


def _world(seed: int, city: Territory, quartier: Territory, other: Territory) -> list[Process]:
    rng = random.Random(seed)
    micro = Territory.objects.create(name="Micro", slug=f"micro-{seed}", kind=Territory.Kind.MICRO, parent=quartier)
    places: list[Territory | None] = [quartier, other, micro, None]
    processes = [
        ProcessFactory.create(territory=rng.choice([city, quartier, other]), is_published=True) for _ in range(5)
    ]
    people = UserFactory.create_batch(25)
    for person in people:
        person.home_territory = rng.choice([quartier, other, micro])
        person.demographics_consent = rng.random() < 0.8
        person.age_band = rng.choice(AGES)
        person.gender = rng.choice(["f", "m", ""])
        person.save()
    # Heavy participants: a few people act far more often than the rest.
    weights = [20 if index < 3 else 1 for index in range(len(people))]
    bulk: list[ParticipationEvent] = []
    for _ in range(500):
        day = datetime.date(YEAR - rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
        process = rng.choice([*processes, None])
        if rng.random() < 0.15:
            place = rng.choice(places)
            bulk.append(
                ParticipationEvent(
                    module=rng.choice(["proposals", "budgets"]),
                    kind="paper",
                    day=day,
                    process=process,
                    territory=place,
                    priority_area=None if place is None else place.is_priority_area,
                    age_band=rng.choice(AGES),
                    gender=rng.choice(["f", "m", ""]),
                    channel=rng.choice(Channel.values),
                )
            )
        else:
            record(
                module=rng.choice(["proposals", "budgets", "agenda"]),
                kind="support",
                person=rng.choices(people, weights)[0],
                process=process,
                channel=rng.choice([Channel.ONLINE, Channel.ONLINE, Channel.MEETING]),
                day=day,
            )
    ParticipationEvent.objects.bulk_create(bulk)
    mover = people[0]
    mover.home_territory = other
    mover.save()
    record(module="proposals", kind="support", person=mover, process=processes[0], day=datetime.date(YEAR, 6, 1))
    User.objects.filter(pk=people[1].pk).delete()  # the events stay, anonymous
    reshuffle(process_id=processes[1].pk, kind="support")
    ParticipationEvent.objects.filter(process=processes[2], day__month=3).delete()
    for territory in (quartier, other):
        reference_rows(territory, YEAR - 1, 5000)[0].save()
    return processes


def _scopes(processes: list[Process], quartier: Territory, other: Territory) -> list[selectors.Scope]:
    scopes = []
    for year in (YEAR - 1, YEAR, YEAR + 1):
        scopes += [
            selectors.Scope(year),
            selectors.Scope(year, territory=quartier),
            selectors.Scope(year, territory=other),
        ]
        scopes += [selectors.Scope(year, process=process) for process in processes]
    return scopes


def _answers(source: sources.Source, scope: selectors.Scope) -> dict[str, object]:
    answers: dict[str, object] = {
        "people": source.people(scope),
        "acts": source.acts_by_channel(scope),
        "renewal": source.renewal(scope),
        "over_solicited": source.over_solicited(scope),
        "processes": source.process_ids(scope),
    }
    for column in sources.ROLLUP_COLUMNS:
        answers[column] = source.people_by(scope, column)
        answers[f"{column} (residents)"] = source.people_by(scope, column, residents=True)
    return answers


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollup_counts_exactly_what_the_events_count(
    seed: int, city: Territory, quartier: Territory, other_quartier: Territory
) -> None:
    processes = _world(seed, city, quartier, other_quartier)
    raw, by_process, rolled = sources.Events(), sources.ProcessRollup(), sources.Rollup()
    assert raw.years() == by_process.years() == rolled.years() == [YEAR, YEAR - 1]
    some = 0
    for scope in _scopes(processes, quartier, other_quartier):
        expected = _answers(raw, scope)
        assert _answers(by_process, scope) == expected, scope
        assert _answers(rolled, scope) == expected, scope
        if scope.process is None:  # the one-statement summary and the query-per-figure one agree
            assert rolled._summary(scope) == rolled._summary_by_queries(scope), scope
        some += bool(expected["people"])
    assert some >= 10, "the world is not empty"
    # What a page shows is the same both ways too (protected tables, intervals, alerts).
    scope = selectors.Scope(YEAR)
    with override_settings(INDICATORS_SOURCE="events"):
        page_raw = scope_context(scope)
        export_raw = list(exports.representativeness_rows(None))
    assert scope_context(scope) == page_raw
    assert list(exports.representativeness_rows(None)) == export_raw


def test_a_page_reads_its_people_once(city: Territory, quartier: Territory, other_quartier: Territory) -> None:
    _world(4, city, quartier, other_quartier)
    source = sources.Rollup()
    for scope in (selectors.Scope(YEAR), selectors.Scope(YEAR, territory=quartier)):
        with sources.shared_reads(), CaptureQueriesContext(connection) as queries:
            total = source.people(scope)
            tables = [source.people_by(scope, column) for column in sources.ROLLUP_COLUMNS]
            tables += [source.people_by(scope, column, residents=True) for column in sources.ROLLUP_COLUMNS]
        people = [query for query in queries if "indicators_participantrollup" in query["sql"]]
        assert len(people) == 1, [query["sql"] for query in people]
        assert total > 0
        assert all(tables)
        # Outside the block, nothing is remembered: a second read sees new events.
        assert source.people(scope) == total
        record(
            module="proposals",
            kind="support",
            person=None,
            process=None,
            territory=quartier,
            day=datetime.date(YEAR, 2, 1),
        )
        assert source.people(scope) == total + 1


@pytest.mark.parametrize(
    ("spec", "model"), [(rollup.PROCESSES, ParticipationRollup), (rollup.PEOPLE, ParticipantRollup)]
)
def test_the_triggers_keep_what_a_rebuild_computes(
    spec: rollup.Spec, model: type[Model], city: Territory, quartier: Territory, other_quartier: Territory
) -> None:
    _world(7, city, quartier, other_quartier)
    fields = [*spec.keys, *spec.measures]
    maintained = sorted(model._default_manager.values_list(*fields))
    assert len(maintained) > 50
    assert all(row[len(spec.keys)] > 0 for row in maintained), "no empty row left behind"
    rollup.rebuild(spec=spec)
    assert sorted(model._default_manager.values_list(*fields)) == maintained
    ParticipationEvent.objects.all().delete()
    assert not model._default_manager.exists()


def test_the_people_rollup_is_smaller_and_adds_up_to_the_events(
    city: Territory, quartier: Territory, other_quartier: Territory
) -> None:
    _world(8, city, quartier, other_quartier)
    assert ParticipantRollup.objects.count() < ParticipationRollup.objects.count() / 2
    channels = ParticipantRollup.objects.aggregate(
        acts=Sum("acts"), **{channel: Sum(f"acts_{channel}") for channel in rollup.CHANNELS}
    )
    assert channels.pop("acts") == sum(channels.values()) == ParticipationEvent.objects.count()
    for channel, acts in channels.items():
        assert acts == ParticipationEvent.objects.filter(channel=channel).count(), channel


def test_every_channel_has_its_column() -> None:
    assert set(rollup.CHANNELS) == set(Channel.values)
    columns = {field.name for field in ParticipantRollup._meta.get_fields()}
    assert {f"acts_{channel}" for channel in Channel.values} <= columns
