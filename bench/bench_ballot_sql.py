"""PostgreSQL's side of the ballot POST (issue 15): the three statements of a first ballot
replayed on a database that ``bench_voting.py`` built, without Django's request path.

    .venv/bin/python bench/bench_voting.py --database archipel_bench_x --redis-db 4 --template --in-process 600
    .venv/bin/python bench/bench_ballot_sql.py --database archipel_bench_x --ballots 1000

The statements are the code's own texts (``_user_sql``, ``_budget_for_voter_sql``,
``_first_ballot_sql``), prepared on one autocommit connection as the ballot path prepares
them, run for accounts that have not voted yet. Prints the backend's CPU per ballot for each
statement (``/proc/<pid>/schedstat``: nanoseconds, finer than the ticks of ``stat``; a local
server only), then the write's WAL records, full-page images, WAL bytes and shared-buffer hits
per ballot from ``EXPLAIN (ANALYZE, BUFFERS, WAL)``: those counts do not drift with the
machine's load, the CPU does (compare two trees back to back, several times).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", required=True)
    parser.add_argument("--ballots", type=int, default=1000)
    parser.add_argument("--explained", type=int, default=20, help="ballots written under EXPLAIN, after the timed ones")
    args = parser.parse_args()
    url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="archipel.settings",
        DATABASE_URL=url,
        SECRET_KEY=os.environ.get("SECRET_KEY", secrets.token_urlsafe(50)),
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import psycopg
    from django.utils import timezone

    from apps.accounts.backends import _user_sql
    from apps.budgets.models import Budget, Envelope, Project, random_key
    from apps.budgets.voting import loading, services
    from apps.core import participation

    _names, user_sql = _user_sql()
    read_sql = loading._budget_for_voter_sql()
    budget = Budget.objects.select_related("process").get()
    envelope = Envelope.objects.get(budget=budget, territory__isnull=True)
    projects = list(Project.objects.filter(budget=budget).values_list("id", flat=True))
    slug = budget.process.slug
    connection = psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True)
    cursor = connection.cursor()
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]  # type: ignore[index]
    count = args.ballots + args.explained
    cursor.execute(
        "SELECT id, home_territory_id FROM accounts_user u WHERE home_territory_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM budgets_voterrecord r WHERE r.user_id = u.id) ORDER BY id LIMIT %s",
        [count],
    )
    voters = cursor.fetchall()
    if len(voters) < count:
        sys.exit(f"{len(voters)} accounts have not voted, {count} needed: rebuild with bench_voting.py")
    today = timezone.localdate()  # as the ballot path fills the day

    def write(user_pk: int, home_pk: int, index: int) -> tuple[str, list[Any]]:
        person = type("Person", (), {"pk": user_pk, "home_territory_id": home_pk})()
        event_sql, event_params = participation.snapshot_sql(
            module="budgets", kind="ballot", person=person, process_id=budget.process_id
        )
        chosen = list(dict.fromkeys(projects[(index * 7 + k * 3) % len(projects)] for k in range(2 + index % 2)))
        record = [random_key(), budget.pk, "city", envelope.pk, user_pk, "", "online", home_pk, today]
        ballot = [random_key(), envelope.pk, secrets.token_hex(32), services.new_receipt()]
        choices = [[random_key() for _pk in chosen], chosen, [1] * len(chosen), [None] * len(chosen)]
        statement = services._first_ballot_sql("default", event_sql, lock_birth_date=False)
        return statement, [*record, *ballot, *event_params, *choices]

    def cpu() -> float:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9

    spent = {"user": 0.0, "read": 0.0, "write": 0.0}
    for index, (user_pk, home_pk) in enumerate(voters[: args.ballots]):
        for name, (statement, params) in (
            ("user", (user_sql, [user_pk])),
            ("read", (read_sql, [home_pk, user_pk, slug])),
            ("write", write(user_pk, home_pk, index)),
        ):
            started = cpu()
            cursor.execute(statement, params, prepare=True)
            cursor.fetchall()
            spent[name] += cpu() - started
    per_ballot = {name: round(1000 * value / args.ballots, 3) for name, value in spent.items()}
    print("PostgreSQL CPU ms per ballot:", per_ballot, "total", round(sum(per_ballot.values()), 3))

    totals = {"records": 0, "fpi": 0, "bytes": 0, "hit": 0}
    for index, (user_pk, home_pk) in enumerate(voters[args.ballots :]):
        statement, params = write(user_pk, home_pk, index)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, WAL, COSTS OFF, TIMING OFF, SUMMARY OFF) " + statement, params)
        head = "\n".join(str(row[0]) for row in cursor.fetchall()[:4])
        wal = re.search(r"WAL: records=(\d+)(?: fpi=(\d+))? bytes=(\d+)", head)
        hit = re.search(r"hit=(\d+)", head)
        for key, value in zip(totals, (*(wal.groups() if wal else ()), hit.group(1) if hit else 0), strict=False):
            totals[key] += int(value or 0)
    print("the write, per ballot:", {key: round(value / args.explained, 1) for key, value in totals.items()})


if __name__ == "__main__":
    main()
