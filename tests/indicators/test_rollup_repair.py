"""The rollups' triggers come back after a migration dropped them (SQLite's table rebuild)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_migrate
from django.db.utils import ConnectionHandler

from apps.accounts.models import User
from apps.core.models import ParticipationEvent, Process
from apps.core.participation import record
from apps.indicators import rollup
from apps.indicators.models import ParticipantRollup, ParticipationRollup
from tests.factories import ProcessFactory, UserFactory

ALL_TRIGGERS = {name for spec in rollup.SPECS for name in spec.triggers}


@pytest.fixture
def demo_database(django_db_blocker: Any) -> Iterator[BaseDatabaseWrapper]:
    """An in-memory SQLite database with the events and both rollup tables and their triggers,
    as the demo's migrations leave them (the foreign keys' tables are left out: no row uses one)."""
    # A handler of its own: the suite's connections stay untouched (Django wants a "default").
    db = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})["default"]
    with django_db_blocker.unblock():  # pytest-django guards every wrapper; this one is no test database
        with db.schema_editor() as editor:
            for model in (ParticipationEvent, ParticipationRollup, ParticipantRollup):
                editor.create_model(model)
        for spec in rollup.SPECS:
            rollup.install(db, spec)
        yield db
        db.close()


def _insert_event(db: BaseDatabaseWrapper, key: int, channel: str) -> None:
    db.disable_constraint_checking()  # SQLite wants the referenced tables, left out here, even for NULLs
    with db.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_participationevent (id, module, kind, day, age_band, gender, channel) "
            "VALUES (%s, 'proposals', 'support', %s, '30-44', 'f', %s)",
            [key, datetime.date(2026, 5, 4), channel],
        )


def _acts(db: BaseDatabaseWrapper, spec: rollup.Spec) -> int:
    return sum(int(str(row[len(spec.keys)])) for row in _rows(db, spec))


def _rows(db: BaseDatabaseWrapper, spec: rollup.Spec) -> list[tuple[object, ...]]:
    with db.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(spec.keys + spec.measures)} FROM {spec.table}")
        return sorted(cursor.fetchall())


def test_a_table_rebuild_on_sqlite_drops_the_triggers_and_repair_puts_them_back(
    demo_database: BaseDatabaseWrapper,
) -> None:
    db = demo_database
    _insert_event(db, 1, "online")
    assert rollup.installed_triggers(db) == ALL_TRIGGERS
    assert rollup.repair(db) == [], "nothing to do when every trigger is there"

    # What a future migration altering the events table does on SQLite: copy it into a new table.
    old = ParticipationEvent._meta.get_field("module")
    new = type(old)(max_length=60)
    new.set_attributes_from_name("module")
    new.model = ParticipationEvent
    with db.schema_editor() as editor:
        editor.alter_field(ParticipationEvent, old, new)
    assert rollup.installed_triggers(db) == set(), "SQLite dropped them with the old table"
    _insert_event(db, 2, "paper")  # written while no trigger ran: the rollups miss it
    assert [_acts(db, spec) for spec in rollup.SPECS] == [1, 1]

    assert rollup.repair(db) == list(rollup.SPECS)
    assert rollup.installed_triggers(db) == ALL_TRIGGERS
    _insert_event(db, 3, "online")
    for spec in rollup.SPECS:
        maintained = _rows(db, spec)
        assert _acts(db, spec) == 3, spec.table  # the event written without triggers is counted again
        rollup.rebuild(db, spec)
        assert _rows(db, spec) == maintained, spec.table


@pytest.mark.django_db
def test_migrate_puts_back_a_missing_trigger_on_postgresql() -> None:
    person: User = UserFactory.create()
    process: Process = ProcessFactory.create()
    name = rollup.PEOPLE.triggers[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name} ON {rollup.EVENTS}")
    assert name not in rollup.installed_triggers()

    # What `migrate` sends at its end (the handler is the one IndicatorsConfig connected).
    indicators = apps.get_app_config("indicators")
    post_migrate.send(sender=indicators, app_config=indicators, using="default", apps=apps, plan=[])
    assert rollup.installed_triggers() >= ALL_TRIGGERS
    record(module="proposals", kind="support", person=person, process=process)
    assert ParticipantRollup.objects.filter(person_key=person.pk).values_list("acts", flat=True).get() == 1
