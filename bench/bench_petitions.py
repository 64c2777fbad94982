"""Benchmark of the petitions module: CPU per request and latency of the pages and of signing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archipel_bench_petitions \\
        .venv/bin/python bench/bench_petitions.py [--signatures 20000] [--requests 200]

The database named by DATABASE_URL is (re)created and migrated: never point it at a real one.
It fills one city (11 quartiers), 50 published petitions and one petition with ``--signatures``
signatures spread over the quartiers (online and paper, bulk-inserted), then measures in-process
with Django's test client (no network, no server): the list page, the page of the big petition
(counts per quartier, one grouped query), the back-office detail, and the online signature (one
POST per new account, the path that locks the petition row). Prints a markdown table of CPU ms
per request (process time) and wall latency p50/p95.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archipel.settings")


def _recreate_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    if not name.startswith("archipel_bench"):
        raise SystemExit("DATABASE_URL must name a database starting with archipel_bench (it is dropped)")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _measure(label: str, count: int, call: Callable[[int], int]) -> dict[str, Any]:
    walls: list[float] = []
    cpu_start = time.process_time()
    for index in range(count):
        start = time.perf_counter()
        status = call(index)
        walls.append(time.perf_counter() - start)
        if status >= 400:
            raise SystemExit(f"{label}: HTTP {status}")
    cpu = (time.process_time() - cpu_start) / count
    walls.sort()
    return {
        "scenario": label,
        "requests": count,
        "cpu_ms": cpu * 1000,
        "p50_ms": statistics.median(walls) * 1000,
        "p95_ms": walls[int(len(walls) * 0.95) - 1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signatures", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    _recreate_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.models import Process, Role, RoleAssignment, Territory
    from apps.petitions.models import Petition, Signature

    call_command("migrate", verbosity=0)
    city = Territory.objects.create(name="Nantes", slug="nantes", kind="city")
    quartiers = [Territory.objects.create(name=f"Quartier {i}", slug=f"q{i}", parent=city) for i in range(11)]
    process = Process.objects.create(
        title="Interpellation", slug="interpellation", summary="s", territory=city, rules_open="o",
        rules_closed="c", rules_decider="d", rules_use="u", answer_due=timezone.localdate(), is_published=True,
    )  # fmt: skip
    now = timezone.now()

    def petition(index: int) -> Petition:
        return Petition.objects.create(
            title=f"Pétition numéro {index} pour des bancs et de l'ombre",
            body="Texte de la pétition. " * 20,
            recipient="Le maire",
            territory=quartiers[index % 11],
            process=process,
            threshold=10 * args.signatures,
            verification="email",
            duration_days=90,
            answer_days=60,
            state="collecting",
            published_at=now - datetime.timedelta(minutes=index),
            closes_at=now + datetime.timedelta(days=60),
            committee_token=f"t{index}",
        )

    for index in range(50):
        petition(index)
    big = petition(999)
    Signature.objects.bulk_create(
        (
            Signature(
                petition=big,
                person_key=f"p:{index}",
                channel="paper" if index % 4 == 0 else "online",
                territory=quartiers[index % 11],
                signed_on=now.date(),
            )
            for index in range(args.signatures)
        ),
        batch_size=5000,
    )
    Petition.objects.filter(pk=big.pk).update(signature_count=args.signatures)
    agent = User.objects.create_user(email="agent@bench.example", username="agent@bench.example", display_name="A")
    RoleAssignment.objects.create(user=agent, role=Role.AGENT)
    signers = User.objects.bulk_create(
        User(email=f"s{i}@bench.example", username=f"s{i}@bench.example", display_name=f"S{i}", verification="email")
        for i in range(args.requests)
    )

    anonymous, staff = Client(), Client()
    staff.force_login(agent)
    detail = big.get_absolute_url()
    rows = [
        _measure("list (50 petitions)", args.requests, lambda i: anonymous.get(reverse("petitions:list")).status_code),
        _measure(f"detail ({args.signatures} signatures)", args.requests, lambda i: anonymous.get(detail).status_code),
        _measure(
            "back-office detail",
            args.requests,
            lambda i: staff.get(reverse("petitions_admin:detail", kwargs={"pk": big.pk})).status_code,
        ),
    ]
    sign_url = reverse("petitions:sign", kwargs={"pk": big.pk})
    clients = []
    for user in signers:
        client = Client()
        client.force_login(user)
        clients.append(client)
    rows.append(_measure("sign (POST, new account)", args.requests, lambda i: clients[i].post(sign_url).status_code))
    big.refresh_from_db()
    assert big.signature_count == args.signatures + args.requests == Signature.objects.filter(petition=big).count()
    print("| scenario | requests | CPU ms/request | p50 ms | p95 ms |")
    print("|---|---|---|---|---|")
    for row in rows:
        figures = " | ".join(f"{row[key]:.1f}" for key in ("cpu_ms", "p50_ms", "p95_ms"))
        print(f"| {row['scenario']} | {row['requests']} | {figures} |")


if __name__ == "__main__":
    main()
