#!/usr/bin/env python
"""In-process benchmark of the neighbourhood agenda: CPU per request and latency of its read
pages and of a registration, on PostgreSQL with a year of events.

1. (Re)creates the database ``archipel_agenda_bench``, migrates it, and creates 11 quartiers,
   600 published events (a year across the quartiers, half with registration and a capacity),
   5,000 accounts and 30,000 registrations, 3,000 proposed subjects with 20,000 supports.
2. Requests each page ``--requests`` times with Django's test client (no server, no network: the
   figures are the application's own cost) and prints, per page, the CPU time per request and the
   median and 95th percentile latency, and the number of SQL queries of one request.

Usage: ``.venv/bin/python bench/bench_agenda.py [--requests 200] [--reuse-db]``. Run it on a quiet
machine; it is a script, not a timed test.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "archipel_agenda_bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def _build() -> None:
    import random

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.agenda.models import AgendaItem, Event, ItemSupport, Registration
    from apps.core.models import Territory
    from apps.sittings.models import Sitting

    call_command("migrate", verbosity=0)
    rng = random.Random(12)  # reproducible data, not security
    city = Territory.objects.create(name="Nantes", slug="nantes", kind="city")
    quartiers = Territory.objects.bulk_create(
        [Territory(name=f"Quartier {n}", slug=f"quartier-{n}", parent=city) for n in range(11)]
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"b{n}@example.org", username=f"b{n}@example.org", password=password) for n in range(5000)]
    )
    now = timezone.now()
    events = Event.objects.bulk_create(
        [
            Event(
                kind="rendez_vous",
                territory=quartiers[n % 11],
                is_published=True,
                registration_enabled=n % 2 == 0,
                capacity=80 if n % 2 == 0 else None,
                access_info="Entrée de plain-pied.",
            )
            for n in range(600)
        ]
    )
    Sitting.objects.bulk_create(
        [
            Sitting(
                body=event,
                title=f"Rendez-vous {n}",
                starts_at=now + datetime.timedelta(hours=14 * (n - 300)),
                place="Maison de quartier",
                is_published=True,
            )
            for n, event in enumerate(events)
        ]
    )
    registrations = []
    for event in events[::2]:
        for user in rng.sample(users, 100):
            registrations.append(Registration(event=event, user=user, status="confirmed", queued_at=now))
    Registration.objects.bulk_create(registrations)
    items = AgendaItem.objects.bulk_create(
        [AgendaItem(event=events[n % 600], author=users[n], title=f"Sujet {n}") for n in range(3000)]
    )
    ItemSupport.objects.bulk_create(
        [ItemSupport(item=rng.choice(items), user=rng.choice(users)) for _ in range(20000)], ignore_conflicts=True
    )


def _measure(client: object, path: str, count: int, method: str = "get") -> tuple[float, float, float, int]:
    from django.db import connection, reset_queries

    call = getattr(client, method)
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(count):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        response = call(path)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
        assert response.status_code in (200, 302), (path, response.status_code)
    reset_queries()
    call(path)
    queries = len(connection.queries)
    return (
        statistics.mean(cpu) * 1000,
        statistics.median(wall) * 1000,
        sorted(wall)[int(len(wall) * 0.95)] * 1000,
        queries,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse-db", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archipel.settings")
    if not args.reuse_db:
        _recreate_database()
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.DEBUG = True  # counts the queries of one request
    settings.ALLOWED_HOSTS = ["testserver"]
    if not args.reuse_db:
        started = time.perf_counter()
        _build()
        print(f"data built in {time.perf_counter() - started:.0f} s")

    from apps.accounts.models import User
    from apps.agenda.models import Event
    from apps.agenda.services import calendar_token_renew

    event = Event.objects.filter(registration_enabled=True).order_by("pk")[200]
    user = User.objects.order_by("pk").first()
    assert user is not None
    token = calendar_token_renew(user=user)
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(user)
    pages = [
        ("agenda (city, upcoming)", anonymous, "/agenda/"),
        ("agenda of a quartier, past", anonymous, "/agenda/quartier/quartier-3/?passes=1"),
        ("event page (100 registered, subjects)", signed_in, event.get_absolute_url()),
        ("quartier iCal feed", anonymous, "/agenda/quartier/quartier-3/agenda.ics"),
        ("personal iCal feed", anonymous, f"/agenda/flux/{token}.ics"),
        ("my agenda", signed_in, "/agenda/mon-agenda/"),
    ]
    print(f"{'page':40} {'CPU ms/req':>11} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, client, path in pages:
        cpu, p50, p95, queries = _measure(client, path, args.requests)
        print(f"{label:40} {cpu:11.1f} {p50:8.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
