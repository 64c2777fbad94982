#!/usr/bin/env python
"""Benchmark of the participation indicators (issue 14: « the city's indicators from 5 million
participation events in ≤ 5 s on PostgreSQL »).

1. (Re)creates the PostgreSQL database ``archipel_bench_indicators`` (``BENCH_DB`` names another)
   and migrates it (which installs the two rollups' triggers), adds the 11 quartiers of Nantes
   (5 with a QPV), their reference populations, 60 published processes (a third city-wide) and
   150,000 accounts whose quartier, age band and gender are drawn like a city's (skewed
   quartiers: the QPV and the young take part less; 70 % consent to the statistics).
2. Loads ``--events`` participation events over two years with ``COPY``, shaped like real data:
   the activity per account follows a Pareto law (most people act a few times, a few heavy
   participants act thousands of times), people act in their quartier's processes and in the
   city-wide ones (popularity skewed), 10 % of the acts are paper/counter/street/meeting entries
   without an account, the first act of each person is flagged. The ``COPY`` goes through the
   statement-level triggers: the rollups are built by the same code path as in production.
3. Measures the per-event cost of the triggers (single-row inserts with and without them).
4. Requests the public pages ``/indicateurs/`` (city), ``/indicateurs/?quartier=…`` and
   ``/indicateurs/demarches/<pk>/`` of the current year (renewal reads the year before too)
   through Django's test client, and prints the wall time, the CPU of this process (Django) and
   of the PostgreSQL backend (``/proc/<pid>/stat``) and the query count; ``--compare`` also
   requests them from the raw events (``INDICATORS_SOURCE=events``).

Usage: ``.venv/bin/python bench/bench_indicators.py [--events 5000000] [--reuse-db] [--compare]
[--cleanup]`` (``--cleanup`` drops the database at the end).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = os.environ.get("BENCH_DB", "archipel_bench_indicators")
ACCOUNTS = 150_000
PROCESSES = 60
sys.path.insert(0, str(ROOT))

AGES = ["u18", "18-29", "30-44", "45-59", "60-74", "75+"]
AGE_WEIGHTS = [0.03, 0.12, 0.22, 0.25, 0.25, 0.13]  # participants are older than the city
MODULES = ["proposals", "budgets", "petitions", "sortition"]
MODULE_WEIGHTS = [0.55, 0.3, 0.13, 0.02]
ACCOUNT_CHANNELS = ["online", "meeting", "street", "counter", "paper"]
ACCOUNT_CHANNEL_WEIGHTS = [0.85, 0.08, 0.03, 0.02, 0.02]
DESK_CHANNELS = ["paper", "counter", "street", "meeting"]
DESK_CHANNEL_WEIGHTS = [0.5, 0.2, 0.2, 0.1]


def today() -> datetime.date:
    return datetime.datetime.now(tz=datetime.UTC).date()


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def backend_cpu(pid: int) -> float:
    """CPU seconds of one PostgreSQL backend (same machine), from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def create_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        connection.execute(f'CREATE DATABASE "{DB_NAME}"')
    env = {**os.environ, "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
    print(f"database {DB_NAME} dropped")


def _places() -> tuple[Any, list[Any]]:
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
    year = today().year
    for quartier, q in zip(quartiers, data.QUARTIERS, strict=True):
        ReferencePopulation.objects.bulk_create(reference_rows(quartier, year - 1, q["population"]))
    for index in range(PROCESSES):
        Process.objects.create(
            title=f"Démarche {index}",
            slug=f"demarche-{index}",
            territory=city if index % 3 == 0 else quartiers[index % len(quartiers)],
            is_published=True,
            answer_due=datetime.date(year, 12, 31),
        )
    return city, quartiers


def _accounts(quartiers: list[Any], rng: Any) -> dict[str, Any]:
    import numpy as np
    from django.db import connection

    from apps.core.management.commands import _demo_data as data

    # Skewed quartiers: population × propensity (the QPV take part half as much).
    weights = np.array([q["population"] * (0.5 if q["qpv"] else 1.0) for q in data.QUARTIERS], dtype=float)
    home = rng.choice(len(quartiers), size=ACCOUNTS, p=weights / weights.sum())
    consent = rng.random(ACCOUNTS) < 0.7
    age = rng.choice(len(AGES), size=ACCOUNTS, p=AGE_WEIGHTS)
    gender = rng.choice(3, size=ACCOUNTS, p=[0.53, 0.44, 0.03])
    territory_ids = np.array([quartier.pk for quartier in quartiers])
    buffer = io.StringIO()
    for index in range(ACCOUNTS):
        buffer.write(
            f"!\tf\tu{index}\t\t\tu{index}@bench.invalid\tf\tt\t2024-01-01 00:00:00+00\tU{index}\t"
            f"{'t' if consent[index] else 'f'}\t{AGES[age[index]]}\t{['f', 'm', ''][gender[index]]}\t"
            f"immediate\temail\tf\t{territory_ids[home[index]]}\n"
        )
    columns = (
        "password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined, "
        "display_name, demographics_consent, age_band, gender, email_frequency, verification, is_deleted, "
        "home_territory_id"
    )
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY accounts_user ({columns}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute("SELECT id FROM accounts_user WHERE username LIKE 'u%%' ORDER BY id")
        ids = np.array([row[0] for row in cursor.fetchall()])
    return {"ids": ids, "home": home, "consent": consent, "age": age, "gender": gender}


def fill(events: int, seed: int = 14) -> None:
    import numpy as np
    from django.db import connection

    from apps.core.models import Process

    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    city, quartiers = _places()
    people = _accounts(quartiers, rng)
    qpv = np.array([quartier.is_priority_area for quartier in quartiers])
    processes = list(Process.objects.order_by("pk").values_list("pk", "territory_id"))
    city_processes = np.array([pk for pk, territory in processes if territory == city.pk])
    by_quartier = [np.array([pk for pk, territory in processes if territory == q.pk]) for q in quartiers]
    print(f"places, processes and {ACCOUNTS:,} accounts in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    with_account = int(events * 0.9)
    # Pareto activity: most people act a few times, a few heavy participants act a thousand
    # times or more (capped: nobody supports every proposal of the city twice).
    activity = np.minimum(rng.pareto(1.3, ACCOUNTS) + 1, 400)
    person = rng.choice(ACCOUNTS, size=with_account, p=activity / activity.sum())
    desk = events - with_account
    n = events
    account = np.concatenate([person, np.full(desk, -1)])
    home = np.where(account >= 0, people["home"][np.maximum(account, 0)], rng.integers(0, len(quartiers), n))
    first_day = datetime.date(today().year - 1, 1, 1)
    span = (today() - first_day).days + 1
    day = rng.integers(0, span, n)
    # A city-wide process (popularity skewed) or one of the person's quartier.
    zipf = np.minimum(rng.zipf(1.6, n) - 1, len(city_processes) - 1)
    local = rng.random(n) < 0.55
    process = city_processes[zipf]
    for index, choices in enumerate(by_quartier):
        if len(choices):
            mask = local & (home == index)
            process[mask] = choices[rng.integers(0, len(choices), int(mask.sum()))]
    module = rng.choice(len(MODULES), size=n, p=MODULE_WEIGHTS)
    channel_account = rng.choice(len(ACCOUNT_CHANNELS), size=n, p=ACCOUNT_CHANNEL_WEIGHTS)
    channel_desk = rng.choice(len(DESK_CHANNELS), size=n, p=DESK_CHANNEL_WEIGHTS)
    consent = np.where(account >= 0, people["consent"][np.maximum(account, 0)], rng.random(n) < 0.6)
    age = np.where(account >= 0, people["age"][np.maximum(account, 0)], rng.choice(len(AGES), size=n, p=AGE_WEIGHTS))
    gender = np.where(account >= 0, people["gender"][np.maximum(account, 0)], rng.integers(0, 2, n))
    # First act of each person: the earliest day of their events.
    order = np.lexsort((day, account))
    first = np.zeros(n, dtype=bool)
    sorted_account = account[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = sorted_account[1:] != sorted_account[:-1]
    first[order[starts & (sorted_account >= 0)]] = True
    ids = rng.integers(1, 2**62, n, dtype=np.int64)
    territory_ids = np.array([quartier.pk for quartier in quartiers])
    user_ids = people["ids"]
    print(f"{n:,} events drawn in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    columns = (
        "id, module, kind, day, process_id, territory_id, priority_area, age_band, gender, channel, "
        "first_time, person_id"
    )
    days = [(first_day + datetime.timedelta(days=offset)).isoformat() for offset in range(span)]
    # Plain lists: indexing numpy arrays one element at a time is several times slower.
    drawn = {
        "account": account,
        "module": module,
        "process": process,
        "home": home,
        "age": age,
        "gender": gender,
        "day": day,
        "consent": consent,
        "first": first,
        "ids": ids,
        "channel_account": channel_account,
        "channel_desk": channel_desk,
        "territory_ids": territory_ids,
        "qpv": qpv,
        "user_ids": user_ids,
    }
    lists = {name: array.tolist() for name, array in drawn.items()}
    chunk = 250_000
    with connection.cursor() as cursor, cursor.copy(f"COPY core_participationevent ({columns}) FROM STDIN") as copy:
        for low in range(0, n, chunk):
            copy.write(_event_lines(lists, days, low, min(n, low + chunk)))
    copied = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_participationevent")
        sizes = []
        for table in ("indicators_participationrollup", "indicators_participantrollup"):
            cursor.execute(f"ANALYZE {table}")
            cursor.execute(f"SELECT count(*), sum(acts) FROM {table}")
            sizes.append((table, *cursor.fetchone()))
    print(f"{n:,} events copied (the triggers building the rollups in the same statement) in {copied:.1f} s")
    for table, rows, acts in sizes:
        print(f"{table}: {rows:,} rows for {acts:,} acts ({rows / n:.1%} of the events)")
    heavy = np.sort(np.bincount(person, minlength=ACCOUNTS))[::-1]
    print(f"activity: median {int(np.median(heavy))} acts per account, top 10: {heavy[:10].tolist()}")


def _event_lines(c: dict[str, list[Any]], days: list[str], low: int, high: int) -> str:
    """Events ``low`` to ``high`` in ``COPY``'s text format."""
    account, module, process, home, age, gender = (
        c["account"],
        c["module"],
        c["process"],
        c["home"],
        c["age"],
        c["gender"],
    )
    day, consent, first, ids, qpv = c["day"], c["consent"], c["first"], c["ids"], c["qpv"]
    territory_ids, user_ids = c["territory_ids"], c["user_ids"]
    channel_account, channel_desk = c["channel_account"], c["channel_desk"]
    genders = ["f", "m", ""]
    lines = []
    for i in range(low, high):
        who = account[i]
        lines.append(
            f"{ids[i]}\t{MODULES[module[i]]}\tsupport\t{days[day[i]]}\t{process[i]}\t"
            f"{territory_ids[home[i]]}\t{'t' if qpv[home[i]] else 'f'}\t"
            f"{AGES[age[i]] if consent[i] else ''}\t{genders[gender[i]] if consent[i] else ''}\t"
            + (
                f"{ACCOUNT_CHANNELS[channel_account[i]]}\t{'t' if first[i] else 'f'}\t{user_ids[who]}\n"
                if who >= 0
                else f"{DESK_CHANNELS[channel_desk[i]]}\t\\N\t\\N\n"
            )
        )
    return "".join(lines)


def trigger_cost(samples: int = 2000) -> None:
    """Single-row inserts (what a service's ``record`` does) with and without the trigger."""
    from django.db import connection, transaction

    from apps.core.models import Process
    from apps.core.participation import record
    from apps.indicators import rollup

    process = Process.objects.order_by("pk").first()
    from apps.accounts.models import User

    users = list(User.objects.filter(username__startswith="u").order_by("pk")[:samples])
    timings: dict[str, float] = {}
    for label in ("without trigger", "with trigger"):
        with transaction.atomic():
            if label == "without trigger":
                with connection.cursor() as cursor:
                    for spec in rollup.SPECS:
                        cursor.execute(f"ALTER TABLE core_participationevent DISABLE TRIGGER {spec.triggers[0]}")
            started = time.perf_counter()
            for user in users:
                record(module="proposals", kind="support", person=user, process=process)
            timings[label] = (time.perf_counter() - started) / len(users)
            transaction.set_rollback(True)  # leave the data as it was (and the trigger enabled)
    print(
        f"record() per event: {timings['without trigger'] * 1e6:.0f} µs without the trigger, "
        f"{timings['with trigger'] * 1e6:.0f} µs with it"
    )


def measure(repeat: int, compare: bool) -> list[dict[str, Any]]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import override_settings

    from apps.core.models import Process, Territory

    year = today().year
    quartier = Territory.objects.filter(kind=Territory.Kind.QUARTIER).order_by("pk").first()
    assert quartier is not None
    process = Process.objects.filter(territory__kind=Territory.Kind.CITY).order_by("pk").first()
    assert process is not None
    pages = [
        ("city", f"/indicateurs/?annee={year}"),
        ("quartier", f"/indicateurs/?annee={year}&quartier={quartier.pk}"),
        ("process", f"/indicateurs/demarches/{process.pk}/?annee={year}"),
    ]
    client = Client()
    print(f"load average: {' '.join(f'{load:.1f}' for load in os.getloadavg())} ({os.cpu_count()} CPUs)")
    results = []
    sources = ["rollup", "events"] if compare else ["rollup"]
    for source in sources:
        with override_settings(INDICATORS_SOURCE=source):
            for label, url in pages:
                walls, cpus, pg_cpus, queries = [], [], [], 0
                for _ in range(repeat if source == "rollup" else 1):
                    connection.ensure_connection()
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_backend_pid()")
                        pid = cursor.fetchone()[0]
                    reset_queries()
                    wall, used, pg = time.perf_counter(), cpu(), backend_cpu(pid)
                    response = client.get(url)
                    walls.append(time.perf_counter() - wall)
                    cpus.append(cpu() - used)
                    pg_cpus.append(backend_cpu(pid) - pg)
                    queries = len(connection.queries)
                    assert response.status_code == 200, (url, response.status_code)
                row = {
                    "source": source,
                    "page": label,
                    "first": walls[0],
                    "median": statistics.median(walls),
                    "django_cpu": statistics.median(cpus),
                    "pg_cpu": statistics.median(pg_cpus),
                    "queries": queries,
                }
                results.append(row)
                print(
                    f"{source:7} {label:9} first {row['first']:6.2f} s, median {row['median']:6.2f} s wall; "
                    f"CPU Django {row['django_cpu']:5.2f} s, PostgreSQL {row['pg_cpu']:5.2f} s; {queries} queries"
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--reuse-db", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="also measure the raw-events path")
    parser.add_argument("--cleanup", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archipel.settings")
    if not args.reuse_db:
        create_database()
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = True  # count queries
    settings.ALLOWED_HOSTS = ["testserver"]
    try:
        if not args.reuse_db:
            fill(args.events)
            trigger_cost()
        measure(args.repeat, args.compare)
    finally:
        if args.cleanup:
            drop_database()


if __name__ == "__main__":
    main()
