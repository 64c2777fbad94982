"""Load benchmark of voting day (issue 3): ballot submissions through the production start.

1. Builds on PostgreSQL (``--database``, default ``archipel_bench_vote``, dropped and
   recreated) a city, two quartiers, a budget whose vote phase runs now (approval ballot,
   3 projects at most, ``--projects`` projects in the city-wide envelope) and ``--voters``
   eligible accounts, each with a signed-in session in Redis, a CSRF secret (the cookie) and a
   masked token of that secret (what the ballot page's ``{% csrf_token %}`` prints).
2. Starts gunicorn with ``gunicorn.conf.py`` and ``ARCHIPEL_ENV=production`` (the helpers of
   ``bench_foundation.py``: loopback HTTP, Redis cache/sessions/rate limits).
3. Fires ``POST /budgets/<slug>/vote/<envelope>/`` (``action=confirm``, 2 or 3 projects) with
   wrk, the body the confirmation page's form sends without JavaScript (its 64-character masked
   ``csrfmiddlewaretoken``, the projects, ``remplace``, ``action``; the ``Origin`` a browser
   adds), **each request from a different account** (accounts are dealt out in order, never
   reused while they last), paced by a Lua ``delay()`` towards ``--rate`` requests/second for
   ``--duration`` seconds. Expected answer: 302 to the receipt.
4. Checks integrity: voter records == ballots == successful (302) requests, no account with two
   records, every ballot with its choices, every locator set; prints a table.

Usage::

    .venv/bin/python bench/bench_voting.py                 # 500/s for 20 s
    .venv/bin/python bench/bench_voting.py --quick         # 8 s
    .venv/bin/python bench/bench_voting.py --rate 800 --connections 150
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import secrets
import string
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_foundation as bf

SLUG = "budget-participatif-vote"
DEFAULT_DB = "archipel_bench_vote"
WARMUP_ACCOUNTS = 50  # the last accounts but one: sessions for the warm-up GETs (they never vote)


def build(n_projects: int, n_voters: int, seed: int = 2026) -> tuple[int, list[int], list[int]]:
    """The budget in its vote phase; returns (envelope pk, project pks, voter pks)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.budgets.models import Budget, Envelope, Project, ProjectStatus
    from apps.core.models import Phase, Process, Territory

    rng = random.Random(seed)
    city = Territory.objects.create(name="Nantes", slug="nantes", kind="city", population=320_000)
    quartiers = [
        Territory.objects.create(name=name, slug=slug, kind="quartier", parent=city, population=pop)
        for name, slug, pop in (
            ("Malakoff - Saint-Donatien", "malakoff-saint-donatien", 38_000),
            ("Bellevue - Chantenay", "bellevue-chantenay", 56_000),
        )
    ]
    process = Process.objects.create(
        title="Budget participatif 2026 — le vote",
        slug=SLUG,
        summary="Votez pour les projets de la ville.",
        territory=city,
        rules_open="Les projets réalisables.",
        rules_closed="Le montant total.",
        rules_decider="Les habitantes et habitants, par leur vote.",
        rules_use="Les projets lauréats sont réalisés.",
        answer_due=timezone.localdate() + datetime.timedelta(days=90),
        is_published=True,
    )
    now = timezone.now()
    kinds = ["submission", "analysis", "vote", "results", "realisation"]
    for offset, kind in enumerate(kinds):
        start = now + datetime.timedelta(days=30 * (offset - 2) - 1)
        Phase.objects.create(
            process=process,
            module="budgets",
            kind=kind,
            title=kind.capitalize(),
            starts_at=start,
            ends_at=start + datetime.timedelta(days=30),
        )
    budget = Budget.objects.create(process=process, total_amount=1_000_000, ballot_type="approval", max_choices=3)
    envelope = Envelope.objects.create(budget=budget, territory=None, amount=1_000_000)
    projects = Project.objects.bulk_create(
        [
            Project(
                budget=budget,
                envelope=envelope,
                title=f"Projet {i + 1} : aménagement partagé",
                description="Un projet proposé par des habitantes et habitants.",
                description_html="<p>Un projet proposé par des habitantes et habitants.</p>",
                estimated_cost=rng.choice([15_000, 25_000, 40_000, 60_000, 90_000, 120_000]),
                status=ProjectStatus.FEASIBLE,
                ballot_number=i + 1,
            )
            for i in range(n_projects)
        ]
    )
    password = make_password("bench-vote-2026")
    users = User.objects.bulk_create(
        [
            User(
                email=f"votant{i}@bench.archipel.fr",
                username=f"votant{i}@bench.archipel.fr",
                display_name=f"Votant·e {i}",
                password=password,
                home_territory=quartiers[i % 2],
                verification="email",
                birth_date=datetime.date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
            )
            for i in range(n_voters)
        ],
        batch_size=5000,
    )
    return envelope.pk, [p.pk for p in projects], [u.pk for u in users]


def sessions_for(user_pks: list[int]) -> tuple[list[str], list[str], list[str]]:
    """Per account: the session key, the CSRF secret (the cookie) and a masked token of it
    (the form's ``csrfmiddlewaretoken``, 64 characters, which the CSRF check unmasks)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cache import KEY_PREFIX
    from django.core.cache import cache
    from django.middleware.csrf import _mask_cipher_secret

    from apps.accounts.models import User

    alphabet = string.ascii_letters + string.digits
    keys: list[str] = []
    tokens: list[str] = []
    masked: list[str] = []
    values: dict[str, Any] = {}
    # Every account has the same password hash, hence the same session auth hash.
    user_hash = User.objects.get(pk=user_pks[0]).get_session_auth_hash()
    for pk in user_pks:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(pk),
            BACKEND_SESSION_KEY: "apps.accounts.backends.EmailBackend",
            HASH_SESSION_KEY: user_hash,
        }
        values[KEY_PREFIX + key] = data
        keys.append(key)
        tokens.append("".join(secrets.choice(alphabet) for _ in range(32)))
        masked.append(_mask_cipher_secret(tokens[-1]))
    for start in range(0, len(keys), 2000):
        chunk = dict(list(values.items())[start : start + 2000])
        cache.set_many(chunk, timeout=3600)
    return keys, tokens, masked


def ballot_body(masked: str, chosen: list[int]) -> str:
    """The confirmation form's body, URL-encoded in its order, as a browser without JavaScript
    sends it: the masked CSRF token, the hidden choices, the receipt it replaces (none), then
    the button pressed."""
    from urllib.parse import urlencode

    fields = [("csrfmiddlewaretoken", masked), *[("projets", str(pk)) for pk in chosen], ("remplace", "")]
    return urlencode([*fields, ("action", "confirm")])


def vote_script(
    keys: list[str],
    tokens: list[str],
    masked: list[str],
    path: str,
    projects: list[int],
    delay_ms: float,
    cookie_names: tuple[str, str],
    origin: str,
) -> str:
    session_cookie, csrf_cookie = cookie_names
    return (
        f"LOGIN_PATH = {bf.lua_string('/comptes/')}\nkeys = {bf.lua_list(keys)}\n"
        f"tokens = {bf.lua_list(tokens)}\nmasked = {bf.lua_list(masked)}\nORIGIN = {bf.lua_string(origin)}\n"
        f"projects = {bf.lua_list(projects)}\nPATH = {bf.lua_string(path)}\n"
        f"DELAY = {delay_ms:.1f}\nTHREADS = {bf.WRK_THREADS}\n{bf.LUA_COMMON}\n"
        "sent = 0\n"
        "function delay()\n  return DELAY\nend\n"
        "function request()\n"
        "  -- accounts dealt out in order, disjoint between threads: one request per account\n"
        "  local i = ((id - 1) + THREADS * sent) % #keys + 1\n"
        "  sent = sent + 1\n"
        "  local n = 2 + (i % 2)\n"
        "  local first = (i * 7) % #projects\n"
        "  -- the confirmation form's body (ballot_body): masked token, choices, remplace, action\n"
        '  local body = "csrfmiddlewaretoken=" .. masked[i]\n'
        "  for k = 0, n - 1 do\n"
        '    body = body .. "&projets=" .. projects[(first + k * 3) % #projects + 1]\n'
        "  end\n"
        '  body = body .. "&remplace=&action=confirm"\n'
        "  local headers = {\n"
        f'    ["Cookie"] = "{session_cookie}=" .. keys[i] .. "; {csrf_cookie}=" .. tokens[i],\n'
        '    ["Origin"] = ORIGIN,\n'
        '    ["Content-Type"] = "application/x-www-form-urlencoded",\n'
        "  }\n"
        '  return wrk.format("POST", PATH, headers, body)\n'
        "end\n"
    )


def warmup_script(keys: list[str], path: str, session_cookie: str) -> str:
    """GETs of the ballot page (no vote), so every worker and thread has imported the URLconf,
    compiled the templates and opened its database connection before the timed run."""
    return (
        f"keys = {bf.lua_list(keys)}\nPATH = {bf.lua_string(path)}\n"
        "function request()\n"
        "  local key = keys[math.random(#keys)]\n"
        f'  return wrk.format("GET", PATH, {{["Cookie"] = "{session_cookie}=" .. key}})\n'
        "end\n"
    )


def warm_up(base: str, script: str, seconds: int, connections: int, workdir: Path) -> None:
    import subprocess

    path = workdir / "warmup.lua"
    path.write_text(script, encoding="utf-8")
    cmd = ["wrk", "-t", "2", "-c", str(min(connections, 32)), "-d", f"{seconds}s", "-s", str(path), base]
    subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)


def preflight(base: str, path: str, *, body: str, headers: dict[str, str]) -> tuple[int, str]:
    """One ballot before the load, so that a broken set-up fails loudly instead of being timed."""
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, method="POST", headers=headers, data=body.encode())  # noqa: S310
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def in_process(
    path: str,
    keys: list[str],
    tokens: list[str],
    masked: list[str],
    projects: list[int],
    count: int,
    profile: bool,
    compare_full_chain: bool = False,
) -> dict[str, float]:
    """CPU of the ballot POST inside this process (the production WSGI application, no HTTP
    server, no wrk): ``time.process_time()`` around ``count`` ballots, after 20 untimed ones. Counts the
    SQL statements and the CPU of the PostgreSQL backend serving them; with ``profile``, prints
    the 60 most expensive functions. With ``compare_full_chain``, every other ballot goes through
    Django's handler with the whole middleware list instead of the ballot's shorter path, and the
    CPU of each is summed apart (the two interleaved in one process: the same load for both)."""
    import cProfile
    import io
    import pstats

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The production WSGI application (what gunicorn calls), not the test client's handler:
    # the same middleware path as under gunicorn, CSRF enforced, no test-client overhead.
    from archipel.wsgi import application

    cookie_names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)

    per_path = {"short": 0.0, "full": 0.0}

    def cast(i: int) -> None:
        chosen = [projects[(i * 7 + k * 3) % len(projects)] for k in range(2 + i % 2)]
        # URL-encoded, as browsers and wrk send the confirmation form (masked token in the body).
        body = ballot_body(masked[i], chosen).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": bf.HOST,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": bf.HOST,
            "HTTP_COOKIE": f"{cookie_names[0]}={keys[i]}; {cookie_names[1]}={tokens[i]}",
            "HTTP_ORIGIN": f"http://{bf.HOST}",  # what a browser adds to a form's POST
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        statuses: list[str] = []
        full = compare_full_chain and i % 2 == 1
        handler: Callable[..., Any] = application.site if full else application
        started = time.process_time()
        chunks = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        try:
            b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()  # request_finished, as a WSGI server does
        per_path["full" if full else "short"] += time.process_time() - started
        if not statuses[0].startswith("302"):
            raise RuntimeError(f"in-process ballot {i}: HTTP {statuses[0]}")

    warm = 20
    for i in range(warm):
        cast(i)
    with CaptureQueriesContext(connection) as queries:
        cast(warm)
    statements = len(queries.captured_queries)
    if profile:
        for query in queries.captured_queries:
            print(query["sql"][:300])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not wall
    db_started = _process_cpu(backend)
    started, wall = time.process_time(), time.monotonic()
    if profiler is not None:
        profiler.enable()
    for path_cpu in per_path:
        per_path[path_cpu] = 0.0
    for i in range(warm + 1, warm + 1 + count):
        cast(i)
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(60)
        if os.environ.get("BENCH_PROFILE_DUMP"):  # the whole profile, for pstats (callers, callees)
            profiler.dump_stats(os.environ["BENCH_PROFILE_DUMP"])
    cpu = time.process_time() - started
    db_cpu = _process_cpu(backend) - db_started
    figures = {
        "ballots": count,
        "cpu_ms_per_ballot": round(cpu * 1000 / count, 2),
        "db_cpu_ms_per_ballot": round(db_cpu * 1000 / count, 2),
        "wall_ms_per_ballot": round((time.monotonic() - wall) * 1000 / count, 2),
        "sql_statements_per_ballot": statements,
    }
    if compare_full_chain:
        timed = range(warm + 1, warm + 1 + count)
        full_count = sum(1 for i in timed if i % 2 == 1)
        figures["cpu_ms_per_ballot_short_path"] = round(per_path["short"] * 1000 / (count - full_count), 3)
        figures["cpu_ms_per_ballot_full_chain"] = round(per_path["full"] * 1000 / full_count, 3)
    return figures


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a local process, here the PostgreSQL backend serving
    this process's connection (a local server; 0 when /proc does not show it)."""
    try:
        fields = bf._stat_fields(str(pid))
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / bf.CLOCK_TICKS


def create_from_template(env: dict[str, str]) -> None:
    """The benchmark database as a copy of ``<database>_template``, a migrated empty database
    kept between runs (created and migrated here the first time)."""
    name = bf.DB_NAME
    template = f"{name}_template"
    bf.DB_NAME = template
    try:
        if not bf.database_exists():
            bf.create_database()
            migrate_env = {**env, "DATABASE_URL": f"{bf.PG_SERVER}/{template}"}
            bf.run([bf.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=migrate_env)
    finally:
        bf.DB_NAME = name
    bf.drop_database()
    with bf.admin_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def integrity(envelope_pk: int) -> dict[str, int]:
    from django.db.models import Count

    from apps.budgets.models import Ballot, BallotChoice, VoterRecord

    records = VoterRecord.objects.filter(envelope_id=envelope_pk)
    return {
        "voter_records": records.count(),
        "ballots": Ballot.objects.filter(envelope_id=envelope_pk).count(),
        "ballots_without_locator": Ballot.objects.filter(envelope_id=envelope_pk, locator__isnull=True).count(),
        "ballots_without_choice": Ballot.objects.filter(envelope_id=envelope_pk, choices__isnull=True).count(),
        "choices": BallotChoice.objects.filter(ballot__envelope_id=envelope_pk).count(),
        "accounts_with_two_records": records.values("user_id").annotate(n=Count("pk")).filter(n__gt=1).count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_VOTE_DB", DEFAULT_DB))
    parser.add_argument(
        "--redis-db",
        type=int,
        default=int(os.environ.get("BENCH_VOTE_REDIS_DB", "5")),
        help="Redis database number for the sessions, cache and rate limits (default 5, as bench_foundation)",
    )
    parser.add_argument("--projects", type=int, default=30)
    parser.add_argument("--voters", type=int, default=14_000)
    parser.add_argument("--rate", type=int, default=500, help="target ballots per second")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument(
        "--server",
        type=bf.ServerConfig.parse,
        action="append",
        default=None,
        help=f"gthread:WxT, sync:W or granian:W[xT] (default {bf.DEFAULT_SERVER}); repeatable: the servers run"
        " one after the other on the same database, each with its own accounts",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run the list of --server this many times, alternating (A B A B)"
    )
    parser.add_argument("--quick", action="store_true", help="8 s instead of 20 s")
    parser.add_argument(
        "--in-process",
        type=int,
        default=0,
        metavar="N",
        help="instead of gunicorn + wrk: time N ballots inside this process (CPU ms per ballot, statements)",
    )
    parser.add_argument("--profile", action="store_true", help="with --in-process: print a cProfile summary")
    parser.add_argument(
        "--compare-full-chain",
        action="store_true",
        help="with --in-process: every other ballot through the whole middleware list (CPU of each path)",
    )
    parser.add_argument("--cleanup", action="store_true", help="drop the database at the end")
    parser.add_argument(
        "--template",
        action="store_true",
        help="clone the migrated schema from <database>_template (migrated on first use) instead of migrating"
        " from scratch: minutes saved per run on a loaded machine; migrate still applies what is new",
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="seconds of ballot-page GETs before the timed run (not counted)"
    )
    args = parser.parse_args()
    duration = 8 if args.quick else args.duration
    if args.in_process > 0:
        args.voters = max(args.voters, args.in_process + 21)  # 20 untimed ballots and one counted
    else:
        args.server = args.server or [bf.ServerConfig.parse(bf.DEFAULT_SERVER)]
        runs = len(args.server) * args.repeat
        per_run = int(args.rate * duration * 1.4) + WARMUP_ACCOUNTS + 1  # + the preflight's
        args.voters = max(args.voters, per_run * runs)  # never reuse an account, in a run or across runs

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and "/archipel_bench_vote" in url:
        args.database = url.rsplit("/", 1)[1]
    bf.DB_NAME = args.database
    bf.REDIS_URL = f"redis://127.0.0.1:6379/{args.redis_db}"
    bf.DATABASE_URL = f"{bf.PG_SERVER}/{args.database}"
    bf.CONNECTIONS = args.connections
    bf.ensure_wrk()
    # The servers share this key: the sessions' auth hash (written here) is an HMAC with it.
    args.secret_key = secrets.token_urlsafe(50)
    env = bf.production_env(args.secret_key)
    env["RATELIMIT_ENABLE"] = "true"
    if args.in_process > 0:
        # One connection for the whole in-process run (the WSGI application ends each request
        # like a server does, which would reconnect every 60 s): one backend to measure.
        env["CONN_MAX_AGE"] = "3600"

    bf.log(f"database {args.database}: create, migrate")
    if args.template:
        create_from_template(env)
    else:
        bf.create_database()
    bf.run([bf.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env)
    bf.run([bf.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, quiet=True)
    bf.setup_django(env)
    from django.urls import reverse

    started = time.monotonic()
    envelope_pk, projects, voters = build(args.projects, args.voters)
    keys, tokens, masked = sessions_for(voters)
    bf.log(f"{len(projects)} projects, {len(voters)} voters and sessions in {time.monotonic() - started:.1f} s")
    path = reverse("budgets:ballot", kwargs={"slug": SLUG, "envelope_pk": envelope_pk})
    if args.in_process > 0:
        figures = in_process(
            path, keys, tokens, masked, projects, args.in_process, args.profile, args.compare_full_chain
        )
        checks = integrity(envelope_pk)
        ok = (
            checks["voter_records"] == checks["ballots"] == args.in_process + 21
            and checks["accounts_with_two_records"] == 0
            and checks["ballots_without_choice"] == 0
            and checks["ballots_without_locator"] == 0
        )
        print(json.dumps({"in_process": figures, "integrity": checks, "ok": ok}, indent=2))
        return 0 if ok else 1

    workdir = Path(tempfile.mkdtemp(prefix="bench-vote-"))
    runs = [server for _ in range(args.repeat) for server in args.server]
    per_run = len(keys) // len(runs)
    ok = True
    summary: list[dict[str, Any]] = []
    for number, config in enumerate(runs):
        # Each run its own accounts: nobody votes twice across runs either.
        run_keys = keys[number * per_run : (number + 1) * per_run]
        run_tokens = tokens[number * per_run : (number + 1) * per_run]
        run_masked = masked[number * per_run : (number + 1) * per_run]
        result, checks, run_ok = one_run(
            config, args, path, projects, envelope_pk, run_keys, run_tokens, run_masked, workdir
        )
        ok = ok and run_ok
        summary.append({"result": asdict(result), "integrity": checks})
    if len(runs) > 1:
        print("\nserver        ballots/s  p50 / p99 ms      app+db CPU ms per ballot  other load  integrity")
        for row in summary:
            result = row["result"]
            cpu = result["cpu_ms_per_request"]
            print(
                f"{result['server']:<13} {result['rps']:>9}  {result['p50_ms']:>6} / {result['p99_ms']:<8}"
                f"  {cpu.get('app', 0)} + {cpu.get('db', 0)} = {cpu.get('app', 0) + cpu.get('db', 0):.2f}"
                f"{'':>10}{result['other_load_cores']:>5}       {'OK' if row['integrity']['ok'] else 'FAILED'}"
            )
    bf.OUT_DIR.mkdir(parents=True, exist_ok=True)
    (bf.OUT_DIR / "bench_voting.json").write_text(
        json.dumps(summary[0] if len(summary) == 1 else summary, indent=2), encoding="utf-8"
    )
    if args.cleanup:
        from django.db import connections

        connections.close_all()
        bf.drop_database()
    return 0 if ok else 1


def one_run(
    config: bf.ServerConfig,
    args: argparse.Namespace,
    path: str,
    projects: list[int],
    envelope_pk: int,
    keys: list[str],
    tokens: list[str],
    masked: list[str],
    workdir: Path,
) -> tuple[bf.Result, dict[str, int], bool]:
    """One server, one wrk run with ``keys`` (accounts nobody used before); the integrity
    counts are this run's (the difference from before it), the duplicate checks the whole
    database's."""
    from django.conf import settings

    duration = 8 if args.quick else args.duration
    before = integrity(envelope_pk)
    server = bf.Server(config, args.secret_key, workdir / f"server-{config.label()}.log")
    result = bf.Result(scenario="vote", target=path)
    try:
        server.start()
        # Preflight with the last account (the load deals accounts from the first one).
        status, location = preflight(
            server.base,
            path,
            body=ballot_body(masked[-1], projects[:2]),
            headers={
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={keys[-1]}; {settings.CSRF_COOKIE_NAME}={tokens[-1]}",
                "Origin": server.base,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        if status != 302 or "recu" not in location:
            raise RuntimeError(f"preflight: {status} {location} (see {server.log_path})")
        keys, tokens, masked = keys[:-1], tokens[:-1], masked[:-1]
        if args.warmup > 0:
            bf.log(f"{config.label()} warm-up: {args.warmup} s of ballot-page GETs (not counted)")
            warm_up(
                server.base,
                warmup_script(keys[-WARMUP_ACCOUNTS:], path, settings.SESSION_COOKIE_NAME),
                args.warmup,
                args.connections,
                workdir,
            )
        keys, tokens, masked = keys[:-WARMUP_ACCOUNTS], tokens[:-WARMUP_ACCOUNTS], masked[:-WARMUP_ACCOUNTS]
        delay_ms = 1000 * args.connections / args.rate
        script = vote_script(
            keys,
            tokens,
            masked,
            path,
            projects,
            delay_ms,
            (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME),
            server.base,
        )
        bf.log(f"{config.label()} wrk: {args.connections} connections, {delay_ms:.0f} ms apart, {duration} s")
        bf.run_wrk(server.base, script, duration, result, "3xx", workdir, server.pid)
        result.server = config.label()
    finally:
        server.stop()
    after = integrity(envelope_pk)
    checks = {
        name: after[name] - before[name] if name in {"voter_records", "ballots", "choices"} else after[name]
        for name in after
    }
    successful = result.statuses.get("3xx", 0) + 1  # + the preflight
    # wrk stops counting at the end of the run while up to one request per connection is
    # still in flight: those are served (and written) after wrk's count.
    in_flight = checks["voter_records"] - successful
    ok = (
        checks["voter_records"] == checks["ballots"]
        and 0 <= in_flight <= args.connections
        and checks["accounts_with_two_records"] == 0
        and checks["ballots_without_choice"] == 0
        and checks["ballots_without_locator"] == 0
        and result.errors == 0
    )
    checks["ok"] = int(ok)
    result.passed = ok and result.requests > 0 and result.p99_ms < 300
    rows = [
        ("target rate", f"{args.rate}/s for {duration} s, {args.connections} connections"),
        ("server", f"{result.server} ({bf.ensure_wrk()})"),
        ("requests", f"{result.requests} in {result.seconds} s"),
        ("throughput", f"{result.rps}/s"),
        ("latency p50 / p90 / p99 / max", f"{result.p50_ms} / {result.p90_ms} / {result.p99_ms} / {result.max_ms} ms"),
        ("statuses", json.dumps(result.statuses)),
        ("errors (socket + unexpected)", str(result.errors)),
        ("successful (302 + preflight)", str(successful)),
        ("voter records / ballots", f"{checks['voter_records']} / {checks['ballots']}"),
        ("served after wrk stopped counting", str(in_flight)),
        ("choices", str(checks["choices"])),
        ("accounts with two records", str(checks["accounts_with_two_records"])),
        (
            "ballots without choice / locator",
            f"{checks['ballots_without_choice']} / {checks['ballots_without_locator']}",
        ),
        ("CPU ms per request (app / db / wrk)", json.dumps(result.cpu_ms_per_request)),
        ("other load on the machine (cores)", str(result.other_load_cores)),
        ("integrity", "OK" if ok else "FAILED"),
        ("target p99 < 300 ms, no error", "PASSED" if result.passed else "NOT MET"),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    return result, checks, ok


if __name__ == "__main__":
    sys.exit(main())
