#!/usr/bin/env python
"""Benchmark of the participation indicators (issue 14: « the city's indicators from 5 million
participation events in ≤ 5 s on PostgreSQL »).

1. (Re)creates the PostgreSQL database ``archipel_bench_indicators``, migrates it, adds the 11
   quartiers of Nantes (5 marked QPV), 40 published processes, 60,000 accounts and their
   reference populations, then ``--events`` participation events over two years, generated in SQL
   (``generate_series``): 80 % tied to an account, skewed ages, five channels.
2. Computes, in this process, the city's indicators of the last year the way the public page
   does (channels, representativeness by age, gender, QPV and quartier, renewal,
   over-solicitation) and one quartier's, and prints wall and CPU seconds and the query count.

Usage: ``.venv/bin/python bench/bench_indicators.py [--events 5000000] [--reuse-db]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "archipel_bench_indicators"
sys.path.insert(0, str(ROOT))


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def create_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        connection.execute(f'CREATE DATABASE "{DB_NAME}"')
    env = {**os.environ, "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def fill(events: int) -> None:
    from django.db import connection
    from django.utils.text import slugify

    from apps.core.management.commands import _demo_data as data
    from apps.core.models import Process, Territory
    from apps.indicators.models import ReferencePopulation
    from tests.security.modules.indicators import reference_rows

    city = Territory.objects.create(name="Nantes", slug="nantes", kind=Territory.Kind.CITY)
    quartiers = [
        Territory.objects.create(
            name=q["name"], slug=slugify(q["name"]), parent=city, is_priority_area=q["qpv"] is not None
        )
        for q in data.QUARTIERS
    ]
    year = time.gmtime().tm_year
    for quartier, q in zip(quartiers, data.QUARTIERS, strict=True):
        ReferencePopulation.objects.bulk_create(reference_rows(quartier, year - 1, q["population"]))
    import datetime

    for index in range(40):
        Process.objects.create(
            title=f"Démarche {index}",
            slug=f"demarche-{index}",
            territory=quartiers[index % len(quartiers)] if index % 4 else city,
            is_published=True,
            answer_due=datetime.date(year, 12, 31),
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined, display_name, demographics_consent, age_band, gender, email_frequency, "
            "verification, is_deleted) "
            "SELECT '!', false, 'u' || g, '', '', 'u' || g || '@bench.invalid', false, true, now(), "
            "'U' || g, true, '', '', 'immediate', 'email', false FROM generate_series(1, 60000) g"
        )
        cursor.execute("SELECT min(id) FROM accounts_user")
        first_user = cursor.fetchone()[0]
        cursor.execute("SELECT min(id), count(*) FROM core_process")
        first_process, processes = cursor.fetchone()
        ids = [quartier.pk for quartier in quartiers]
        qpv = [quartier.pk for quartier in quartiers if quartier.is_priority_area]
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO core_participationevent
              (id, module, kind, day, process_id, territory_id, priority_area, age_band, gender, channel,
               first_time, person_id)
            SELECT (random() * 9e18)::bigint, 'proposals', (ARRAY['proposal','support','comment'])[1 + g %% 3],
                   make_date(%(year)s - 1, 1, 1) + (random() * 700)::int,
                   %(first_process)s + (g %% %(processes)s),
                   t.id, t.id = ANY(%(qpv)s),
                   (ARRAY['18-29','30-44','30-44','45-59','45-59','60-74','60-74','75+','u18',''])[1 + g %% 10],
                   (ARRAY['f','f','m','x',''])[1 + g %% 5],
                   (ARRAY['online','online','online','online','paper','counter','street','meeting'])[1 + g %% 8],
                   g <= 60000,
                   CASE WHEN g %% 5 = 0 THEN NULL ELSE %(first_user)s + (g %% 60000) END
            FROM generate_series(1, %(events)s) g
            CROSS JOIN LATERAL (SELECT (%(ids)s::int[])[1 + (g * 7) %% %(n)s] AS id) t
            """,
            {
                "year": year,
                "first_process": first_process,
                "processes": processes,
                "qpv": qpv,
                "first_user": first_user,
                "events": events,
                "ids": ids,
                "n": len(ids),
            },
        )
        cursor.execute("ANALYZE core_participationevent")
        print(f"{events:,} events inserted in {time.perf_counter() - started:.1f} s")


def measure() -> None:
    from django.db import connection, reset_queries

    from apps.core.models import Territory
    from apps.indicators import selectors
    from apps.indicators.views import scope_context

    year = time.gmtime().tm_year - 1
    quartier = Territory.objects.filter(kind=Territory.Kind.QUARTIER).order_by("pk").first()
    for label, scope in (("city", selectors.Scope(year)), ("quartier", selectors.Scope(year, territory=quartier))):
        reset_queries()
        wall, started_cpu = time.perf_counter(), cpu()
        context = scope_context(scope)
        total = context["channels"].total_participants
        wall, used = time.perf_counter() - wall, cpu() - started_cpu
        print(
            f"{label:9} indicators: {wall:6.2f} s wall, {used:5.2f} s CPU (Django), "
            f"{len(connection.queries)} queries, ~{total} participants"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--reuse-db", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archipel.settings")
    if not args.reuse_db:
        create_database()
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = True  # count queries
    if not args.reuse_db:
        fill(args.events)
    measure()


if __name__ == "__main__":
    main()
