#!/usr/bin/env python
"""Load benchmark of the Archipel foundation (issue 2, "Performance").

1. (Re)creates the PostgreSQL database ``archipel_bench``, migrates it and fills it fast
   with ``COPY``: the 11 quartiers of Nantes, 20 processes in their "support" phase,
   10,000 proposals, 20,000 accounts, 200,000 supports and 100,000 comments (one
   proposal has exactly 300 of them, threaded).
2. Serves the platform with the production start (``gunicorn archipel.wsgi`` with
   ``gunicorn.conf.py``, ``ARCHIPEL_ENV=production``, Redis for cache and sessions) on
   127.0.0.1.
3. Drives it with wrk, 50 connections, for a bounded time per scenario: the filtered and
   paginated proposal list, the detail of the proposal with 300 comments, and the support
   action (POST with rotating signed-in sessions and CSRF tokens).
4. Checks the integrity of the supports in SQL, stops gunicorn, prints a table and writes
   ``bench/out/foundation-<timestamp>.json``.

Usage: ``.venv/bin/python bench/bench_foundation.py [--quick] [--cleanup] [--reuse-db]``.
Loopback only; every load run is bounded in time (wrk ``-d``) and stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "archipel_bench"
DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/5"
HOST = "127.0.0.1"

N_PROPOSALS = 10_000
N_USERS = 20_000
N_SUPPORTS = 200_000
N_COMMENTS = 100_000
N_PROCESSES = 20
BIG_PROCESS_PROPOSALS = 4_000  # the city-wide participatory budget; the rest is spread over 19
DETAIL_COMMENTS = 300
N_SESSIONS = 2_000
CONNECTIONS = 50
WRK_THREADS = 2
WRK_TIMEOUT = "5s"

# Default production start for this 2-core machine (see bench/README.md for the comparison).
DEFAULT_SERVER = "gthread:4x4"


# --- Environment ---------------------------------------------------------------------------


def production_env(secret_key: str, *, server: ServerConfig | None = None, port: int | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"ARCHIPEL_TESTING", "HUEY_IMMEDIATE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="archipel.settings",
        ARCHIPEL_ENV="production",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        REDIS_URL=REDIS_URL,
        DEBUG="false",
        DATABASE_URL=DATABASE_URL,
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if server is not None:
        env["WEB_CONCURRENCY"] = str(server.workers)
        env["GUNICORN_THREADS"] = str(server.threads)
        env["GRANIAN"] = str(Path(PYTHON).with_name("granian"))  # the benchmark's own interpreter
        if server.worker_class == "granian-close":
            env["GUNICORN_KEEPALIVE"] = "0"
    if port is not None:
        env["GUNICORN_BIND"] = f"{HOST}:{port}"
    return env


# --wait-idle: seconds to wait before each run for other jobs to leave the CPUs alone.
WAIT_IDLE = 0


def run(cmd: Sequence[str], *, env: dict[str, str] | None = None, quiet: bool = False) -> None:
    subprocess.run(list(cmd), cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL if quiet else None)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


# --- Database --------------------------------------------------------------------------------


def admin_connect() -> Any:
    import psycopg

    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True)


def database_exists() -> bool:
    with admin_connect() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone() is not None


def drop_database() -> None:
    with admin_connect() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [DB_NAME],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')


def create_database() -> None:
    drop_database()
    with admin_connect() as conn:
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- French content --------------------------------------------------------------------------

QUARTIERS: list[tuple[str, int, bool, list[str]]] = [
    ("Centre-ville", 43_000, False, ["Bouffay", "Graslin", "Decré - Cathédrale"]),
    ("Bellevue - Chantenay - Sainte-Anne", 56_000, True, ["Chantenay", "Sainte-Anne", "Bellevue"]),
    ("Dervallières - Zola", 29_000, True, ["Zola", "Les Dervallières", "Procé"]),
    ("Hauts-Pavés - Saint-Félix", 33_000, False, ["Hauts-Pavés", "Saint-Félix", "Monselet"]),
    ("Breil - Barberie", 23_000, True, ["Le Breil", "La Barberie", "Le Bêle"]),
    ("Nantes Nord", 26_000, True, ["Bout-des-Landes", "Petite Sensive", "La Boissière"]),
    ("Nantes Erdre", 39_000, False, ["Saint-Joseph-de-Porterie", "La Beaujoire", "Ranzay"]),
    ("Doulon - Bottière", 38_000, True, ["Doulon", "La Bottière", "Pin Sec"]),
    ("Malakoff - Saint-Donatien", 35_000, True, ["Malakoff", "Saint-Donatien", "Pré-Gauchet"]),
    ("Île de Nantes", 20_000, False, ["Beaulieu", "République - Les Ponts", "Prairie-au-Duc"]),
    ("Nantes Sud", 20_000, False, ["Saint-Jacques", "Clos-Toreau", "Pirmil"]),
]
THEMES = [
    "Mobilités et déplacements",
    "Nature en ville",
    "Propreté",
    "Culture et patrimoine",
    "Sport et loisirs",
    "Solidarités",
    "Jeunesse",
    "Éducation",
    "Transition écologique",
    "Cadre de vie",
    "Tranquillité publique",
    "Commerce de proximité",
]
PROCESS_TITLES = [
    "Budget participatif 2026",
    "Plan vélo métropolitain",
    "Nantes, ville nourricière",
    "Réinventer nos places",
    "Des cours d'école oasis",
    "Un été au quartier",
    "Propreté : agir ensemble",
    "Aménager les bords de l'Erdre",
    "La rue aux enfants",
    "Nos parcs demain",
    "Sport en accès libre",
    "Lutter contre l'isolement",
    "Commerces de quartier vivants",
    "Éclairage public et sobriété",
    "Culture hors les murs",
    "Jardins partagés",
    "Sécurité des trajets scolaires",
    "Quartier zéro déchet",
    "Îlots de fraîcheur",
    "Maisons de quartier",
]
TITLE_TEMPLATES = [
    "Installer des bancs ombragés {lieu}",
    "Créer un jardin partagé {lieu}",
    "Planter des arbres fruitiers {lieu}",
    "Sécuriser la traversée piétonne {lieu}",
    "Ajouter des arceaux vélos {lieu}",
    "Ouvrir une boîte à livres {lieu}",
    "Rénover l'aire de jeux {lieu}",
    "Installer une fontaine à eau {lieu}",
    "Créer une piste cyclable séparée {lieu}",
    "Végétaliser la cour d'école {lieu}",
    "Organiser un marché de producteurs {lieu}",
    "Éclairer le cheminement piéton {lieu}",
    "Des toilettes publiques accessibles {lieu}",
    "Un terrain de basket en accès libre {lieu}",
    "Plus de poubelles de tri {lieu}",
    "Aménager un composteur collectif {lieu}",
    "Piétonniser la rue {lieu}",
    "Installer des agrès de sport {lieu}",
    "Ouvrir un tiers-lieu associatif {lieu}",
    "Limiter la vitesse à 30 km/h {lieu}",
    "Une fresque participative {lieu}",
    "Des nichoirs et hôtels à insectes {lieu}",
]
PLACES = [
    "place Viarme",
    "square Maurice-Schwob",
    "rue de Strasbourg",
    "quai de la Fosse",
    "au parc de Procé",
    "près de l'école Jean-Zay",
    "boulevard des Poilus",
    "au Jardin des Plantes",
    "place du Bouffay",
    "rue Paul-Bellamy",
    "à la Petite Sensive",
    "près du marché de Talensac",
    "place Mendès-France",
    "allée du Port-Maillard",
    "au bord de l'Erdre",
    "près de la médiathèque Jacques-Demy",
    "boulevard Victor-Hugo",
    "rue de Rennes",
    "place Graslin",
    "au square Elisa-Mercœur",
    "rue du Général-Buat",
    "place de la Petite-Hollande",
    "au parc du Grand-Blottereau",
    "route de Vannes",
    "près du collège Rosa-Parks",
    "au pied de la tour Bretagne",
    "rue de la Bottière",
    "place Mellinet",
    "au Clos-Toreau",
    "sur l'île de Versailles",
]
INTROS = [
    "Aujourd'hui, on manque cruellement d'endroits où se poser à l'ombre quand il fait chaud.",
    "Je passe ici tous les jours avec mes enfants et la situation n'est plus tenable.",
    "Beaucoup d'habitantes et d'habitants du quartier en parlent depuis longtemps.",
    "Le conseil de quartier a déjà évoqué ce sujet, sans suite concrète pour l'instant.",
    "Les personnes âgées de la résidence voisine nous ont fait remonter ce besoin.",
    "Avec l'association des parents d'élèves, nous avons fait un petit sondage : la demande est forte.",
    "Cet endroit est très fréquenté le week-end, mais rien n'y est prévu pour l'accueil du public.",
    "Les étés sont de plus en plus chauds et le béton domine partout.",
]
ARGUMENTS = [
    "Cela rendrait le lieu **plus agréable** et plus sûr pour tout le monde.",
    "Le coût serait modeste et l'entretien pourrait être partagé avec les associations du quartier.",
    "Ce serait aussi un moyen de créer du lien entre voisins qui ne se croisent jamais.",
    "Les enfants pourraient s'y rendre à pied ou à vélo *sans danger*.",
    "On réduirait la circulation automobile et le bruit dans les rues voisines.",
    "La biodiversité y gagnerait : oiseaux, insectes pollinisateurs, petites plantes sauvages.",
    "Des villes comme Rennes ou Grenoble l'ont fait avec succès.",
    "Le projet peut se faire par étapes, en commençant par un essai d'un an.",
    "Les commerçants de la rue sont favorables, nous en avons rencontré plusieurs.",
    "Il faudrait associer les écoles et la maison de quartier dès la conception.",
]
LISTS = [
    "Concrètement :\n\n- quelques bancs\n- deux ou trois arbres\n- un point d'eau",
    "Trois étapes possibles :\n\n1. un diagnostic en marchant avec les habitants\n2. un essai provisoire\n3. "
    "un aménagement définitif",
    "Ce qu'il faudrait éviter :\n\n- le tout-béton\n- les aménagements qui excluent les personnes à mobilité réduite",
]
CLOSINGS = [
    "Merci de votre attention !",
    "Qu'en pensez-vous ?",
    "Je suis prête à participer à un atelier sur le sujet.",
    "Plus d'informations sur [le site de la Ville](https://metropole.nantes.fr).",
    "",
]
COMMENT_SENTENCES = [
    "Tout à fait d'accord, c'est une très bonne idée.",
    "Je soutiens, surtout pour les enfants du quartier.",
    "Attention au coût d'entretien sur la durée.",
    "On en parle depuis des années, il est temps d'agir !",
    "Je ne suis pas convaincu : la place manque déjà pour le stationnement.",
    "Pourquoi ne pas le faire plutôt de l'autre côté de la rue ?",
    "Excellente proposition, merci !",
    "Il faudrait demander l'avis des riverains directement concernés.",
    "Les personnes âgées en ont vraiment besoin.",
    "Bonne idée mais il faut prévoir l'accessibilité.",
    "Je passe là tous les matins, c'est effectivement dangereux.",
    "Et qui va entretenir tout ça ?",
    "À Rennes, ça fonctionne très bien depuis deux ans.",
    "Ça rendrait le quartier tellement plus vivant.",
    "Je préférerais que le budget aille aux écoles.",
    "Oui, et ajoutons des arbres tant qu'à faire.",
    "Le conseil citoyen avait déjà proposé quelque chose de similaire.",
    "Je peux aider bénévolement.",
    "Pas d'accord : cela risque d'attirer du bruit la nuit.",
    "Pensez aussi aux vélos cargo !",
]
FIRST_NAMES = [
    "Awa",
    "Bruno",
    "Camille",
    "Dominique",
    "Élodie",
    "Farid",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Jules",
    "Karim",
    "Léa",
    "Mathis",
    "Nadia",
    "Océane",
    "Pierre",
    "Quentin",
    "Rose",
    "Samir",
    "Thérèse",
    "Ulysse",
    "Valérie",
    "Yanis",
    "Zoé",
    "Aïcha",
    "Benoît",
    "Chloé",
    "Mamadou",
    "Nathalie",
    "Yves",
    "Soizic",
    "Gwenaël",
    "Maëlys",
    "Loïc",
]
LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTVW"
ANSWERS = {
    "accepted": "La Ville retient cette proposition : elle est cohérente avec le plan d'actions du quartier et "
    "sera réalisée par le service concerné. Le calendrier est publié sur la page de suivi.",
    "partly_accepted": "La Ville retient une partie de cette proposition. Certains éléments ne sont pas "
    "réalisables pour des raisons techniques ; le reste sera étudié avec les habitants.",
    "not_retained": "La Ville ne retient pas cette proposition : l'emplacement relève d'un autre projet déjà "
    "engagé. Elle sera transmise au conseil de quartier pour une alternative.",
    "done": "Cette proposition a été réalisée. Merci à toutes les personnes qui l'ont portée et soutenue.",
    "under_study": "Cette proposition est à l'étude par les services techniques. Une réponse argumentée sera "
    "publiée avant la date annoncée.",
}
STATUS_WEIGHTS = {
    "received": 58,
    "under_study": 20,
    "accepted": 8,
    "partly_accepted": 4,
    "not_retained": 7,
    "done": 3,
}


def slugify(text: str) -> str:
    from django.utils.text import slugify as django_slugify

    return django_slugify(text)


def make_body(rng: random.Random) -> str:
    parts = [rng.choice(INTROS), " ".join(rng.sample(ARGUMENTS, rng.randint(1, 3)))]
    if rng.random() < 0.35:
        parts.append(rng.choice(LISTS))
    closing = rng.choice(CLOSINGS)
    if closing:
        parts.append(closing)
    return "\n\n".join(parts)


# --- Data build ------------------------------------------------------------------------------


@dataclass
class Dataset:
    big_process_slug: str
    detail_pk: int
    supportable: list[int]
    territories: list[str]
    themes: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    build_seconds: float = 0.0


def copy_rows(conn: Any, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY ``rows`` into ``model``'s table. Columns not given get the field default, so
    a field added later with a default does not break the benchmark."""
    from psycopg.types.json import Jsonb

    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = [name for name in columns if name not in fields]
    if unknown:
        raise RuntimeError(f"{model.__name__}: unknown columns {unknown}")
    rest = [f for name, f in fields.items() if name not in columns]
    defaults: list[Any] = []
    for f in rest:
        value = f.get_default()
        if value is None and not f.null:
            raise RuntimeError(f"{model.__name__}.{f.attname} needs a value in the benchmark data")
        defaults.append(Jsonb(value) if isinstance(value, dict | list) else value)
    names = ", ".join(f'"{fields[name].column}"' for name in columns)
    names += "".join(f', "{f.column}"' for f in rest)
    tail = tuple(defaults)
    count = 0
    with conn.cursor() as cursor, cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row((*row, *tail))
            count += 1
    return count


def skewed_counts(rng: random.Random, n: int, total: int, cap: int) -> list[int]:
    """``n`` counts summing to ``total``, long-tailed like real supports (a few very popular ones)."""
    weights = [rng.paretovariate(1.3) for _ in range(n)]
    scale = total / sum(weights)
    counts = [min(cap, int(w * scale)) for w in weights]
    missing = total - sum(counts)
    while missing > 0:
        for index in rng.choices(range(n), weights=weights, k=missing):
            if counts[index] < cap and missing > 0:
                counts[index] += 1
                missing -= 1
    return counts


def build_data(seed: int = 2026) -> Dataset:
    import psycopg
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.answers.models import Answer
    from apps.core.models import Process, Territory, Theme
    from apps.core.richtext import render_rich_text
    from apps.discussion.models import Comment
    from apps.proposals.models import Proposal, Status, Support

    started = time.monotonic()
    rng = random.Random(seed)
    now = timezone.now()

    # Territories, themes, processes: a few dozen rows through the ORM.
    city = Territory.objects.create(name="Nantes", slug="nantes", kind="city", population=320_000)
    quartiers: list[Territory] = []
    micros: dict[int, list[Territory]] = {}
    for name, population, qpv, micro_names in QUARTIERS:
        quartier = Territory.objects.create(
            name=name,
            slug=slugify(name),
            kind="quartier",
            parent=city,
            population=population,
            is_priority_area=qpv,
            priority_population=population // 4 if qpv else 0,
        )
        quartiers.append(quartier)
        micros[quartier.pk] = [
            Territory.objects.create(name=m, slug=slugify(f"{name}-{m}"), kind="micro", parent=quartier)
            for m in micro_names
        ]
    themes = [Theme.objects.create(name=name, slug=slugify(name)) for name in THEMES]

    processes: list[Process] = []
    for index, title in enumerate(PROCESS_TITLES[:N_PROCESSES]):
        territory = city if index < 4 else quartiers[(index - 4) % len(quartiers)]
        process = Process.objects.create(
            title=title if territory == city else f"{title} — {territory.name}",
            slug=slugify(title if territory == city else f"{title} {territory.name}"),
            summary=f"{title} : proposez, soutenez et débattez des idées pour {territory.name}.",
            description=f"## {title}\n\nLa Ville de Nantes ouvre une démarche de **concertation**.",
            territory=territory,
            participation_level=Process.Level.CONCERTATION,
            rules_open="Les aménagements de l'espace public, le choix des priorités.",
            rules_closed="Le budget global et les contraintes de sécurité ne sont pas négociables.",
            rules_decider="Le conseil municipal, après avis du conseil de quartier.",
            rules_use="Chaque proposition reçoit une réponse argumentée de la Ville.",
            answer_due=(now + datetime.timedelta(days=120)).date(),
            is_published=True,
        )
        process.themes.set(rng.sample(themes, 4) if index else [])
        kinds = ["collect", "support", "analysis", "followup"]
        current = kinds.index("support")
        for offset, kind in enumerate(kinds):
            start = now + datetime.timedelta(days=30 * (offset - current) - 1)
            process.phases.create(
                module="proposals",
                kind=kind,
                title=kind.capitalize(),
                starts_at=start,
                ends_at=start + datetime.timedelta(days=30),
            )
        processes.append(process)
    territory_choices: dict[int, list[int]] = {}
    for process in processes:
        if process.territory_id == city.pk:
            territory_choices[process.pk] = [q.pk for q in quartiers] + [m.pk for q in quartiers for m in micros[q.pk]]
        else:
            territory_choices[process.pk] = [process.territory_id] + [m.pk for m in micros[process.territory_id]]
    theme_choices = {p.pk: list(p.themes.values_list("pk", flat=True)) or [t.pk for t in themes] for p in processes}
    connection.close()

    conn = psycopg.connect(DATABASE_URL)
    password = make_password("bench-archipel-2026")

    # Accounts.
    user_rows = []
    for i in range(1, N_USERS + 1):
        email = f"habitant{i}@bench.archipel.test"
        consent = rng.random() < 0.4
        user_rows.append(
            (
                i,
                password,
                email,
                email,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}.",
                rng.choice(quartiers).pk,
                True,
                now - datetime.timedelta(days=rng.randint(1, 900)),
                consent,
                rng.choice(["18-29", "30-44", "45-59", "60-74", "75+"]) if consent else "",
                rng.choice(["f", "m", "x"]) if consent else "",
            )
        )
    copy_rows(
        conn,
        User,
        [
            "id",
            "password",
            "username",
            "email",
            "display_name",
            "home_territory_id",
            "is_active",
            "date_joined",
            "demographics_consent",
            "age_band",
            "gender",
        ],
        user_rows,
    )

    # Proposals: 4,000 in the city-wide budget, the rest spread over the 19 others.
    per_process = [BIG_PROCESS_PROPOSALS] + [0] * (len(processes) - 1)
    for i in range(N_PROPOSALS - BIG_PROCESS_PROPOSALS):
        per_process[1 + i % (len(processes) - 1)] += 1
    bodies = [make_body(rng) for _ in range(400)]
    rendered = {body: render_rich_text(body) for body in bodies}
    statuses = list(STATUS_WEIGHTS)
    status_weights = list(STATUS_WEIGHTS.values())
    proposal_rows = []
    proposal_meta: list[tuple[int, datetime.datetime, bool, str]] = []  # pk, created_at, withdrawn, status
    process_of: dict[int, int] = {}
    proposal_type = ContentType.objects.get_for_model(Proposal)
    pk = 0
    for process, count in zip(processes, per_process, strict=True):
        for _ in range(count):
            pk += 1
            created = now - datetime.timedelta(days=31) + datetime.timedelta(seconds=rng.randint(0, 30 * 86_400))
            status = rng.choices(statuses, weights=status_weights)[0]
            withdrawn = status == Status.RECEIVED and rng.random() < 0.03
            body = rng.choice(bodies)
            located = rng.random() < 0.6
            proposal_rows.append(
                (
                    pk,
                    process.pk,
                    rng.randint(1, N_USERS),
                    rng.choice(TITLE_TEMPLATES).format(lieu=rng.choice(PLACES)),
                    body,
                    rendered[body],
                    rng.choice(theme_choices[process.pk]) if rng.random() < 0.9 else None,
                    rng.choice(territory_choices[process.pk]),
                    rng.choice(PLACES) if located else "",
                    Decimal(f"{rng.uniform(47.18, 47.26):.6f}") if located else None,
                    Decimal(f"{rng.uniform(-1.62, -1.50):.6f}") if located else None,
                    status,
                    withdrawn,
                    created + datetime.timedelta(days=2) if withdrawn else None,
                    0,
                    0,
                    created,
                    created,
                )
            )
            proposal_meta.append((pk, created, withdrawn, status))
            process_of[pk] = process.pk
    big_ids = [m[0] for m in proposal_meta[:BIG_PROCESS_PROPOSALS] if not m[2] and m[3] == "under_study"]
    detail_pk = big_ids[len(big_ids) // 2]

    # Supports: long-tailed, unique (proposal, user); none on withdrawn proposals' later days.
    support_counts = skewed_counts(rng, N_PROPOSALS, N_SUPPORTS, cap=3_000)
    comment_counts = skewed_counts(rng, N_PROPOSALS - 1, N_COMMENTS - DETAIL_COMMENTS, cap=280)
    comment_counts.insert(detail_pk - 1, DETAIL_COMMENTS)
    # proposal_rows column 14/15 are support_count/comment_count.
    for index, row in enumerate(proposal_rows):
        proposal_rows[index] = (*row[:14], support_counts[index], comment_counts[index], *row[16:])
    copy_rows(
        conn,
        Proposal,
        [
            "id",
            "process_id",
            "author_id",
            "title",
            "body",
            "body_html",
            "theme_id",
            "territory_id",
            "address",
            "latitude",
            "longitude",
            "status",
            "is_withdrawn",
            "withdrawn_at",
            "support_count",
            "comment_count",
            "created_at",
            "updated_at",
        ],
        proposal_rows,
    )

    def support_rows() -> Iterator[tuple[Any, ...]]:
        sid = 0
        users = range(1, N_USERS + 1)
        for (ppk, created, _w, _s), count in zip(proposal_meta, support_counts, strict=True):
            span = max(1, int((now - created).total_seconds()))
            for user in rng.sample(users, count):
                sid += 1
                yield sid, ppk, user, created + datetime.timedelta(seconds=rng.randint(0, span))

    copy_rows(conn, Support, ["id", "proposal_id", "user_id", "created_at"], support_rows())

    def comment_rows() -> Iterator[tuple[Any, ...]]:
        cid = 0
        for (ppk, created, _w, _s), count in zip(proposal_meta, comment_counts, strict=True):
            thread: list[tuple[int, int | None]] = []  # (id, root) of this proposal's comments so far
            when = created
            for position in range(count):
                cid += 1
                when += datetime.timedelta(seconds=rng.randint(60, 4 * 3600))
                # Detail proposal: 100 threads, 200 replies; elsewhere about a third are replies.
                reply = thread and (rng.random() < (2 / 3 if ppk == detail_pk else 0.35))
                if ppk == detail_pk and position < 100:
                    reply = False
                parent, root = (None, None)
                if reply:
                    parent, parent_root = rng.choice(thread[-40:])
                    root = parent_root or parent
                thread.append((cid, root))
                hidden = rng.random() < 0.01
                body = " ".join(rng.sample(COMMENT_SENTENCES, rng.randint(1, 3)))
                yield (
                    cid,
                    proposal_type.pk,
                    ppk,
                    process_of[ppk],
                    rng.randint(1, N_USERS),
                    parent,
                    root,
                    body,
                    rng.choice(["agree", "agree", "disagree", "neutral"]),
                    hidden,
                    "Propos injurieux envers une personne." if hidden else "",
                    when,
                )

    copy_rows(
        conn,
        Comment,
        [
            "id",
            "target_type_id",
            "target_id",
            "process_id",
            "author_id",
            "parent_id",
            "root_id",
            "body",
            "stance",
            "is_hidden",
            "hidden_reason",
            "created_at",
        ],
        comment_rows(),
    )

    answer_bodies = {status: (body, render_rich_text(body)) for status, body in ANSWERS.items()}

    def answer_rows() -> Iterator[tuple[Any, ...]]:
        aid = 0
        for ppk, created, _w, status in proposal_meta:
            if status in answer_bodies:
                aid += 1
                body, html = answer_bodies[status]
                answered = created + datetime.timedelta(days=3)
                yield (
                    aid,
                    proposal_type.pk,
                    ppk,
                    process_of[ppk],
                    status,
                    body,
                    html,
                    Answer.State.PUBLISHED,
                    "Service participation citoyenne",
                    answered,
                    answered,
                    answered,
                )

    copy_rows(
        conn,
        Answer,
        [
            "id",
            "source_type_id",
            "source_id",
            "process_id",
            "status",
            "body",
            "body_html",
            "state",
            "signed_by",
            "signed_at",
            "created_at",
            "updated_at",
        ],
        answer_rows(),
    )

    for model in (User, Proposal, Support, Comment, Answer):
        table = model._meta.db_table
        conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))")
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE")
    conn.close()

    dataset = Dataset(
        big_process_slug=processes[0].slug,
        detail_pk=detail_pk,
        supportable=[m[0] for m in proposal_meta if not m[2]],
        territories=[],
        themes=[],
        build_seconds=round(time.monotonic() - started, 1),
    )
    return complete_dataset(dataset)


def complete_dataset(dataset: Dataset) -> Dataset:
    """Counts and filter values read back from the database (also used with --reuse-db)."""
    from apps.accounts.models import User
    from apps.core.models import Process
    from apps.discussion.models import Comment
    from apps.proposals.forms import process_themes
    from apps.proposals.models import Proposal, Support
    from apps.proposals.placement import process_territories

    process = Process.objects.get(slug=dataset.big_process_slug)
    dataset.territories = [t.slug for t in process_territories(process)]
    dataset.themes = [t.slug for t in process_themes(process)]
    dataset.counts = {
        "users": User.objects.count(),
        "processes": Process.objects.count(),
        "proposals": Proposal.objects.count(),
        "supports": Support.objects.count(),
        "comments": Comment.objects.count(),
        "big_process_proposals": process.proposals.count(),
        "detail_comments": Comment.objects.filter(target_id=dataset.detail_pk, target_type__model="proposal").count(),
    }
    return dataset


def reuse_dataset() -> Dataset:
    from apps.core.models import Process
    from apps.proposals.models import Proposal

    process = Process.objects.get(slug=slugify(PROCESS_TITLES[0]))
    detail = Proposal.objects.filter(comment_count=DETAIL_COMMENTS).order_by("pk").first()
    if detail is None:
        raise SystemExit("--reuse-db: no proposal with 300 comments; run without --reuse-db")
    supportable = list(Proposal.objects.filter(is_withdrawn=False).values_list("pk", flat=True))
    dataset = Dataset(process.slug, detail.pk, supportable, [], [])
    return complete_dataset(dataset)


# --- Sessions --------------------------------------------------------------------------------


@dataclass
class Sessions:
    keys: list[str]
    tokens: list[str]


def create_sessions(count: int, seed: int = 7) -> Sessions:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cache import SessionStore

    from apps.accounts.models import User

    rng = random.Random(seed)
    ids = rng.sample(range(1, N_USERS + 1), count)
    alphabet = string.ascii_letters + string.digits
    keys: list[str] = []
    tokens: list[str] = []
    for user in User.objects.filter(pk__in=ids).only("pk", "password"):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "apps.accounts.backends.EmailBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        assert store.session_key is not None
        keys.append(store.session_key)
        tokens.append("".join(secrets.choice(alphabet) for _ in range(32)))
    return Sessions(keys, tokens)


def delete_sessions(sessions: Sessions) -> None:
    from django.contrib.sessions.backends.cache import KEY_PREFIX
    from django.core.cache import cache

    cache.delete_many([KEY_PREFIX + key for key in sessions.keys])


# --- Server ----------------------------------------------------------------------------------


@dataclass
class ServerConfig:
    """The production start to measure: gunicorn (``gthread:WxT``, ``sync:W``) or granian
    (``granian:W`` or ``granian:WxT``: W processes, T blocking threads each, Rust HTTP with
    keep-alive; ``granian-close:W``: the same, closing the connection after each answer as
    sync workers do; see docs/VOTING_DAY.md)."""

    worker_class: str
    workers: int
    threads: int

    @classmethod
    def parse(cls, text: str) -> ServerConfig:
        match = re.fullmatch(r"(gthread|granian|granian-close):(\d+)x(\d+)|(sync|granian|granian-close):(\d+)", text)
        if not match:
            raise argparse.ArgumentTypeError(
                "server config: gthread:<workers>x<threads>, sync:<workers>, granian[-close]:<workers>[x<threads>]"
            )
        if match.group(1):
            return cls(match.group(1), int(match.group(2)), int(match.group(3)))
        return cls(match.group(4), int(match.group(5)), 1)

    def label(self) -> str:
        if self.worker_class == "sync" or (self.worker_class.startswith("granian") and self.threads == 1):
            return f"{self.worker_class}:{self.workers}"
        return f"{self.worker_class}:{self.workers}x{self.threads}"

    def command(self) -> list[str]:
        if self.worker_class.startswith("granian"):
            # The production start itself (settings from the environment: bind, workers, threads).
            return [str(ROOT / "scripts" / "serve-granian.sh")]
        return [GUNICORN, "archipel.wsgi", "--config", "gunicorn.conf.py", "--worker-class", self.worker_class]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn with the production configuration file, in its own process group."""

    def __init__(self, config: ServerConfig, secret_key: str, log_path: Path) -> None:
        self.config = config
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.env = production_env(secret_key, server=config, port=self.port)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = self.config.command()
        # The production config restarts workers every ~5,000 requests; kept as is.
        self.log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 120  # workers import the project: slow on a busy machine
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.config.label()} exited ({self.process.returncode}); see {self.log_path}")
            try:
                # A first render of the home page can take more than 5 s on a saturated machine:
                # a shorter timeout abandons it, and every retry starts another one.
                with urllib.request.urlopen(f"{self.base}/", timeout=30) as response:  # noqa: S310 (http://127.0.0.1)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.config.label()} did not answer within 120 s; see {self.log_path}")

    @property
    def pid(self) -> int:
        return self.process.pid if self.process is not None else 0

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self.log_file.close()


# --- Load generation -------------------------------------------------------------------------

LUA_COMMON = """
threads = {}
counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
s2, s3, slogin, s4, s5 = 0, 0, 0, 0, 0
function init(args)
  math.randomseed(os.time() * 1000 + id * 7919)
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1
  elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then
    local location = headers["Location"] or headers["location"] or ""
    if string.find(location, LOGIN_PATH, 1, true) then slogin = slogin + 1 else s3 = s3 + 1 end
  else s2 = s2 + 1 end
end
function done(summary, latency, requests)
  local t = {s2 = 0, s3 = 0, slogin = 0, s4 = 0, s5 = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(t) do t[name] = t[name] + thread:get(name) end
  end
  io.write(string.format("ARCHIPEL_STATUS s2=%d s3=%d login=%d s4=%d s5=%d\\n", t.s2, t.s3, t.slogin, t.s4, t.s5))
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string of ASCII is a valid Lua string literal


def lua_list(values: Iterable[str | int]) -> str:
    return "{" + ",".join(lua_string(v) if isinstance(v, str) else str(v) for v in values) + "}"


def get_script(paths: Sequence[str], login_path: str) -> str:
    return (
        f"LOGIN_PATH = {lua_string(login_path)}\npaths = {lua_list(paths)}\n{LUA_COMMON}\n"
        'function request()\n  return wrk.format("GET", paths[math.random(#paths)])\nend\n'
    )


def support_script(sessions: Sessions, proposals: Sequence[int], login_path: str, cookie_names: tuple[str, str]) -> str:
    session_cookie, csrf_cookie = cookie_names
    return (
        f"LOGIN_PATH = {lua_string(login_path)}\nkeys = {lua_list(sessions.keys)}\n"
        f"tokens = {lua_list(sessions.tokens)}\nproposals = {lua_list(proposals)}\n{LUA_COMMON}\n"
        "function request()\n"
        "  local i = math.random(#keys)\n"
        "  local pk = proposals[math.random(#proposals)]\n"
        "  local headers = {\n"
        f'    ["Cookie"] = "{session_cookie}=" .. keys[i] .. "; {csrf_cookie}=" .. tokens[i],\n'
        '    ["X-CSRFToken"] = tokens[i],\n'
        '    ["Content-Type"] = "application/x-www-form-urlencoded",\n'
        "  }\n"
        '  return wrk.format("POST", "/propositions/" .. pk .. "/soutenir/", headers, "")\n'
        "end\n"
    )


def list_paths(dataset: Dataset, rng: random.Random, count: int = 600) -> list[str]:
    from django.urls import reverse

    from apps.proposals.models import Status

    base = reverse("proposals:list", kwargs={"process_slug": dataset.big_process_slug})
    quartiers = [slug for slug in dataset.territories if slug != "nantes"]
    paths: list[str] = []
    for _ in range(count):
        params: dict[str, str] = {}
        roll = rng.random()
        if roll < 0.25:  # no filter, browse deeper pages
            page = rng.randint(1, 40)
        else:
            if rng.random() < 0.6:
                params["quartier"] = rng.choice(quartiers)
            if rng.random() < 0.5:
                params["theme"] = rng.choice(dataset.themes)
            if rng.random() < 0.3:
                params["etat"] = rng.choice([*Status.values, "retiree"])
            page = rng.choice([1, 1, 1, 2, 2, 3])
        params["tri"] = rng.choice(["recent", "recent", "soutiens", "hasard"])
        if params["tri"] == "hasard":
            params["graine"] = str(rng.randint(1, 233_279))
        if page > 1:
            params["page"] = str(page)
        paths.append(base + "?" + "&".join(f"{k}={v}" for k, v in params.items()))
    return paths


@dataclass
class Result:
    scenario: str
    target: str
    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    socket_errors: int = 0
    non_2xx_3xx: int = 0
    unexpected: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    passed: bool = False
    server: str = ""
    # CPU milliseconds per request (gunicorn workers, PostgreSQL backends, wrk) and the share
    # of the machine used by everything else during the run (other jobs disturb the figures).
    cpu_ms_per_request: dict[str, float] = field(default_factory=dict)
    other_load_cores: float = 0.0

    @property
    def errors(self) -> int:
        return self.socket_errors + self.unexpected


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unparsable wrk duration {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(output: str, result: Result, expect: str) -> Result:
    def find(pattern: str) -> re.Match[str] | None:
        return re.search(pattern, output, re.MULTILINE)

    for percent, attr in (("50", "p50_ms"), ("90", "p90_ms"), ("99", "p99_ms")):
        match = find(rf"^\s+{percent}%\s+(\S+)")
        if match:
            setattr(result, attr, round(to_ms(match.group(1)), 2))
    match = find(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)")
    if match:
        result.max_ms = round(to_ms(match.group(1)), 2)
    match = find(r"^\s+(\d+) requests in ([\d.]+)(\w+)")
    if match:
        result.requests = int(match.group(1))
        result.seconds = round(to_ms(match.group(2) + match.group(3)) / 1000, 2)
    match = find(r"^Requests/sec:\s+([\d.]+)")
    if match:
        result.rps = round(float(match.group(1)), 1)
    match = find(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
    if match:
        result.socket_errors = sum(int(g) for g in match.groups())
    match = find(r"Non-2xx or 3xx responses: (\d+)")
    if match:
        result.non_2xx_3xx = int(match.group(1))
    match = find(r"ARCHIPEL_STATUS s2=(\d+) s3=(\d+) login=(\d+) s4=(\d+) s5=(\d+)")
    if match:
        s2, s3, login, s4, s5 = (int(g) for g in match.groups())
        result.statuses = {"2xx": s2, "3xx": s3, "3xx_to_login": login, "4xx": s4, "5xx": s5}
        expected = s2 if expect == "2xx" else s3
        result.unexpected = s2 + s3 + login + s4 + s5 - expected
    else:
        result.unexpected = result.non_2xx_3xx
    return result


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: str) -> list[str]:
    # Fields after "(comm)": [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_snapshot(server_pid: int) -> dict[str, Any]:
    """CPU seconds so far: gunicorn (master, live workers and reaped ones), each PostgreSQL
    backend of the benchmark database, and the whole machine (busy time of all cores)."""
    app = 0.0
    db: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat_fields(entry.name)
            if int(entry.name) == server_pid:
                app += sum(int(x) for x in fields[11:15]) / CLOCK_TICKS
            elif int(fields[1]) == server_pid:
                app += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            elif f" {DB_NAME} " in (entry / "cmdline").read_bytes().decode(errors="replace"):
                db[entry.name] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            continue
    cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    idle = int(cpu[3]) + int(cpu[4])
    machine = (sum(int(x) for x in cpu[:8]) - idle) / CLOCK_TICKS
    return {"app": app, "db": db, "machine": machine, "wrk": _children_cpu(), "wall": time.monotonic()}


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_cores(seconds: float = 2.0) -> float:
    """Cores busy on the whole machine over ``seconds`` (the server is idle meanwhile)."""

    def busy() -> tuple[float, float]:
        cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        idle = int(cpu[3]) + int(cpu[4])
        return (sum(int(x) for x in cpu[:8]) - idle) / CLOCK_TICKS, time.monotonic()

    (b0, t0) = busy()
    time.sleep(seconds)
    (b1, t1) = busy()
    return (b1 - b0) / (t1 - t0)


def wait_until_quiet(max_wait: int, threshold: float = 0.3) -> float:
    """Wait (at most ``max_wait`` s) until other jobs use less than ``threshold`` cores."""
    deadline = time.monotonic() + max_wait
    load = machine_busy_cores()
    while load > threshold and time.monotonic() < deadline:
        log(f"machine busy ({load:.2f} cores used by other jobs), waiting")
        time.sleep(5)
        load = machine_busy_cores()
    return load


def account_cpu(result: Result, before: dict[str, Any], after: dict[str, Any]) -> None:
    done = max(1, result.requests)
    delta = {key: after[key] - before[key] for key in ("app", "machine", "wrk", "wall")}
    # Backends alive at the end (those that exited during the run are not counted).
    delta["db"] = sum(max(0.0, cpu - before["db"].get(pid, 0.0)) for pid, cpu in after["db"].items())
    result.cpu_ms_per_request = {key: round(delta[key] * 1000 / done, 2) for key in ("app", "db", "wrk")}
    ours = delta["app"] + delta["db"] + delta["wrk"]
    result.other_load_cores = round(max(0.0, delta["machine"] - ours) / max(0.001, delta["wall"]), 2)


def run_wrk(
    base: str, script: str, duration: int, result: Result, expect: str, workdir: Path, server_pid: int = 0
) -> Result:
    script_path = workdir / f"{result.scenario}.lua"
    script_path.write_text(script, encoding="utf-8")
    cmd = [
        "wrk",
        "-t",
        str(WRK_THREADS),
        "-c",
        str(CONNECTIONS),
        "-d",
        f"{duration}s",
        "--timeout",
        WRK_TIMEOUT,
        "--latency",
        "-s",
        str(script_path),
        f"{base}/",
    ]
    # wrk stops by itself after -d seconds; the subprocess timeout is a safety net.
    if WAIT_IDLE:
        wait_until_quiet(WAIT_IDLE)
    before = cpu_snapshot(server_pid)
    completed = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)
    after = cpu_snapshot(server_pid)
    (workdir / f"{result.scenario}.out").write_text(completed.stdout + completed.stderr, encoding="utf-8")
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    parse_wrk(completed.stdout, result, expect)
    account_cpu(result, before, after)
    return result


def ensure_wrk() -> str:
    if shutil.which("wrk") is None:
        log("wrk not found: installing the Debian package")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        run([*sudo, "apt-get", "install", "-y", "wrk"])
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return (version.stdout + version.stderr).strip().splitlines()[0] if (version.stdout + version.stderr) else "wrk"


def preflight(base: str, path: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, str]:
    """One request before the load, so a broken scenario fails loudly instead of being timed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 only)
        base + path, method=method, headers=headers or {}, data=b"" if method == "POST" else None
    )
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


# --- Integrity -------------------------------------------------------------------------------


def integrity() -> dict[str, int]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from apps.discussion.models import Comment
    from apps.proposals.models import Proposal, Support

    p, s, c = Proposal._meta.db_table, Support._meta.db_table, Comment._meta.db_table
    proposal_type = ContentType.objects.get_for_model(Proposal).pk
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {s}")
        supports = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT count(*) FROM (SELECT proposal_id, user_id FROM {s} GROUP BY 1, 2 HAVING count(*) > 1) d"
        )
        duplicates = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT count(*) FROM {p} LEFT JOIN (SELECT proposal_id, count(*) n FROM {s} GROUP BY 1) x "
            f"ON x.proposal_id = {p}.id WHERE {p}.support_count <> coalesce(x.n, 0)"
        )
        support_mismatch = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT count(*) FROM {p} LEFT JOIN (SELECT target_id, count(*) n FROM {c} "
            f"WHERE target_type_id = %s GROUP BY 1) x "
            f"ON x.target_id = {p}.id WHERE {p}.comment_count <> coalesce(x.n, 0)",
            [proposal_type],
        )
        comment_mismatch = cursor.fetchone()[0]
    connection.close()
    return {
        "supports": supports,
        "duplicate_supports": duplicates,
        "support_count_mismatches": support_mismatch,
        "comment_count_mismatches": comment_mismatch,
    }


# --- Main ------------------------------------------------------------------------------------


def print_table(results: list[Result]) -> None:
    header = (
        f"{'scenario':<10} {'server':<13} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7}  {'target':<22} {'result':<6}  cpu ms/req app+db+wrk  other load"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        c = r.cpu_ms_per_request
        cpu = f"{c.get('app', 0):.1f}+{c.get('db', 0):.1f}+{c.get('wrk', 0):.1f}"
        print(
            f"{r.scenario:<10} {r.server:<13} {r.requests:>9} {r.rps:>8.1f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} "
            f"{r.errors:>7}  {r.target:<22} {'PASS' if r.passed else 'FAIL':<6}  {cpu:<22} "
            f"{r.other_load_cores:.2f} cores"
        )


def machine_info() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def run_scenarios(
    server: Server,
    dataset: Dataset,
    sessions: Sessions,
    duration: int,
    workdir: Path,
    only: set[str],
    results: list[Result],
) -> None:
    """Run the scenarios against ``server``, appending to ``results`` as they finish."""
    from django.conf import settings
    from django.urls import reverse

    login_path = reverse("accounts:login")
    rng = random.Random(11)
    label = server.config.label()
    base = server.base

    if "list" in only:
        paths = list_paths(dataset, rng)
        for path in paths[:5]:
            status, _location = preflight(base, path)
            if status != 200:
                raise RuntimeError(f"list preflight {path}: HTTP {status}")
        result = run_wrk(
            base,
            get_script(paths, login_path),
            duration,
            Result("list", "p99 < 250 ms, 0 errors", server=label),
            "2xx",
            workdir,
            server.pid,
        )
        result.passed = result.p99_ms < 250 and result.errors == 0 and result.requests > 0
        results.append(result)

    if "detail" in only:
        path = reverse("proposals:detail", kwargs={"pk": dataset.detail_pk})
        status, _location = preflight(base, path)
        if status != 200:
            raise RuntimeError(f"detail preflight {path}: HTTP {status}")
        result = run_wrk(
            base,
            get_script([path], login_path),
            duration,
            Result("detail", "p99 < 250 ms, 0 errors", server=label),
            "2xx",
            workdir,
            server.pid,
        )
        result.passed = result.p99_ms < 250 and result.errors == 0 and result.requests > 0
        results.append(result)

    if "support" in only:
        cookies = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        pk = dataset.supportable[0]
        status, location = preflight(
            base,
            reverse("proposals:support", kwargs={"pk": pk}),
            method="POST",
            headers={
                "Cookie": f"{cookies[0]}={sessions.keys[0]}; {cookies[1]}={sessions.tokens[0]}",
                "X-CSRFToken": sessions.tokens[0],
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        if status != 302 or login_path in location:
            raise RuntimeError(f"support preflight: HTTP {status} Location {location!r} (session not accepted?)")
        before = integrity()["supports"]
        result = run_wrk(
            base,
            support_script(sessions, dataset.supportable, login_path, cookies),
            duration,
            Result("support", ">= 200 req/s, 0 errors", server=label),
            "3xx",
            workdir,
            server.pid,
        )
        result.passed = result.rps >= 200 and result.errors == 0 and result.requests > 0
        check = integrity()
        check["supports_created_during_run"] = check["supports"] - before
        result.statuses["integrity"] = check  # type: ignore[assignment]
        ok = check["duplicate_supports"] == 0 and check["support_count_mismatches"] == 0
        log(
            "integrity after support run: "
            f"{check['supports_created_during_run']} new supports, {check['duplicate_supports']} duplicate "
            f"(proposal, user), {check['support_count_mismatches']} proposals whose support_count differs "
            f"from their rows, {check['comment_count_mismatches']} comment_count mismatches -> "
            f"{'OK' if ok else 'BROKEN'}"
        )
        result.passed = result.passed and ok
        results.append(result)


# --- In-process CPU per request (hit and miss) ---------------------------------------------


def _cpu_per_request(client: Any, paths: Sequence[str], before_each: Any = None) -> float:
    """CPU milliseconds of this process per GET (the Django stack, the Redis and PostgreSQL
    clients; not the PostgreSQL backend), ``before_each(path)`` untimed.

    The requests run in 5 batches and the lowest batch mean is kept: on a shared machine the
    other jobs inflate CPU time too (caches, frequency), and the quietest batch is the most
    comparable figure between runs.
    """
    batches: list[list[float]] = [[] for _ in range(5)]
    for index, path in enumerate(paths):
        if before_each is not None:
            before_each(path)
        start = time.process_time()
        response = client.get(path)
        batches[index * 5 // len(paths)].append(time.process_time() - start)
        if response.status_code != 200:
            raise RuntimeError(f"in-process {path}: HTTP {response.status_code}")
    return 1000 * min(sum(batch) / len(batch) for batch in batches if batch)


def _calls_per_request(client: Any, paths: Sequence[str], before_each: Any = None) -> int:
    """Python function calls per GET (cProfile's count): unlike CPU time, the same on a busy
    machine as on a quiet one, so two versions of the code compare exactly."""
    import cProfile
    import pstats

    calls = 0
    for path in paths:
        if before_each is not None:
            before_each(path)
        profile = cProfile.Profile()
        profile.enable()
        client.get(path)
        profile.disable()
        calls += pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return calls // len(paths)


def _queries(client: Any, path: str, before: Any = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before is not None:
        before(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def measure_in_process(dataset: Dataset, count: int) -> list[dict[str, Any]]:
    """CPU per request of the list and detail pages on a fragment-cache hit and on a miss,
    through the whole middleware stack (Django test client, production settings, Redis).

    - list hit: one filtered URL, warm; list miss (new URL): the 600 rotating URLs of the
      load run, each once, with the process's version fixed (filter choices cached); list
      miss (after a write): the list version bumped before each request (what a new
      proposal does, without the warming on commit);
    - detail hit: the 300-comment proposal, anonymous and signed in; detail miss: its
      threads and top block dropped before each request (each comment's own fragment stays,
      apps.discussion.rendering); after a comment: the threads only (what a new comment
      does); nothing cached: the comments' own fragments dropped too.
    """
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from apps.accounts.models import User
    from apps.core.models import Process
    from apps.discussion import rendering
    from apps.proposals import fragments
    from apps.proposals.models import Proposal
    from apps.proposals.views import _detail_blocks_key

    process = Process.objects.get(slug=dataset.big_process_slug)
    client = Client(SERVER_NAME=HOST)
    resident = Client(SERVER_NAME=HOST)
    account = User.objects.filter(is_staff=False, is_superuser=False).order_by("pk").first()
    if account is None:
        raise RuntimeError("no account in the benchmark database")
    resident.force_login(account)
    paths = list_paths(dataset, random.Random(11))
    hit_path = paths[1]
    detail = reverse("proposals:detail", kwargs={"pk": dataset.detail_pk})
    proposal = Proposal.objects.select_related("process").get(pk=dataset.detail_pk)

    def bump_list(_path: str) -> None:
        fragments._bump_now("list", process.pk)

    def drop_detail(_path: str) -> None:
        fragments._bump_now("comments", proposal.pk)
        with translation.override(settings.LANGUAGE_CODE):
            cache.delete(_detail_blocks_key(proposal))

    def new_comment(_path: str) -> None:
        # What a new comment does to the page (without the warming on commit): the threads
        # block and the commitment link go; each comment's own fragment stays.
        fragments._bump_now("comments", proposal.pk)

    def drop_all_detail(path: str) -> None:
        # Nothing of the page cached: the comments' own fragments too (apps.discussion.rendering).
        drop_detail(path)
        client_redis = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        stale = list(client_redis.scan_iter(match=f"*{rendering._PREFIX}*", count=1000))
        if stale:
            client_redis.delete(*stale)

    misses = list(paths)
    rows: list[dict[str, Any]] = []

    def row(name: str, cpu: float, queries: int, n: int) -> None:
        rows.append({"case": name, "cpu_ms": round(cpu, 2), "queries": queries, "requests": n})
        log(f"in-process {name}: {cpu:.2f} ms CPU per request, {queries} queries ({n} requests)")

    def calls(name: str, client: Any, paths: Sequence[str], before_each: Any = None) -> None:
        rows[-1]["calls"] = _calls_per_request(client, paths, before_each)

    for _ in range(2):  # warm the process (imports, template loader, connections)
        client.get(hit_path)
        client.get(detail)
        resident.get(detail)
    bump_list("")
    client.get(hit_path)
    row("list hit", _cpu_per_request(client, [hit_path] * count), _queries(client, hit_path), count)
    calls("list hit", client, [hit_path] * 10)
    bump_list("")
    fresh = misses[:count]
    row("list miss (new URL)", _cpu_per_request(client, fresh), _queries(client, misses[-1]), len(fresh))
    calls("list miss (new URL)", client, misses[-40:-20])
    n = max(20, count // 4)
    after_write = _cpu_per_request(client, misses[:n], bump_list)
    row("list miss (after a write)", after_write, _queries(client, hit_path, bump_list), n)
    calls("list miss (after a write)", client, misses[:10], bump_list)
    client.get(detail)
    row("detail hit (anonymous)", _cpu_per_request(client, [detail] * count), _queries(client, detail), count)
    calls("detail hit (anonymous)", client, [detail] * 10)
    resident.get(detail)
    row("detail hit (signed in)", _cpu_per_request(resident, [detail] * count), _queries(resident, detail), count)
    calls("detail hit (signed in)", resident, [detail] * 10)
    detail_miss = _cpu_per_request(client, [detail] * n, drop_detail)
    row("detail miss (anonymous)", detail_miss, _queries(client, detail, drop_detail), n)
    calls("detail miss (anonymous)", client, [detail] * 10, drop_detail)
    after_comment = _cpu_per_request(client, [detail] * n, new_comment)
    row("detail miss (after a comment)", after_comment, _queries(client, detail, new_comment), n)
    calls("detail miss (after a comment)", client, [detail] * 10, new_comment)
    cold = _cpu_per_request(client, [detail] * n, drop_all_detail)
    row("detail miss (nothing cached)", cold, _queries(client, detail, drop_all_detail), n)
    calls("detail miss (nothing cached)", client, [detail] * 10, drop_all_detail)
    rows.extend(measure_support(dataset, count))
    return rows


def _support_posts(client: Any, dataset: Dataset, count: int, rng: random.Random) -> list[tuple[Any, str]]:
    """``count`` support POSTs ready to send with ``client``: each by a different signed-in
    resident (the cookies of their session and CSRF token, to put in ``client.cookies``) on a
    proposal of the big process that this resident has not supported yet, so every one
    creates a support as in the load run. One client serves them all: a new client would load
    the middleware again (WhiteNoise scans the static files), which a worker does once."""
    import copy

    from django.conf import settings
    from django.urls import reverse

    from apps.accounts.models import User
    from apps.core.models import Process
    from apps.proposals.models import Proposal, Support

    process = Process.objects.get(slug=dataset.big_process_slug)
    proposals = list(
        Proposal.objects.filter(process=process, is_withdrawn=False).order_by("pk").values_list("pk", flat=True)
    )
    users = list(User.objects.filter(is_active=True, is_staff=False, is_superuser=False).values_list("pk", flat=True))
    posts: list[tuple[Any, str]] = []
    for user_pk in rng.sample(users, count * 2):
        proposal_pk = rng.choice(proposals)
        if Support.objects.filter(user_id=user_pk, proposal_id=proposal_pk).exists():
            continue
        client.cookies.clear()
        client.force_login(User.objects.get(pk=user_pk))
        token = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        posts.append((copy.deepcopy(client.cookies), reverse("proposals:support", kwargs={"pk": proposal_pk})))
        if len(posts) == count:
            return posts
    raise RuntimeError("not enough (resident, proposal) pairs without a support")


def measure_support(dataset: Dataset, count: int) -> list[dict[str, Any]]:
    """The support action (POST, then the redirect answer) through the whole middleware stack
    with the CSRF check: CPU ms per request, Python calls and SQL statements, each POST by a
    different resident on a proposal of the big process (commits run, as in production)."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    login_path = reverse("accounts:login")
    client = Client(SERVER_NAME=HOST, enforce_csrf_checks=True)
    rng = random.Random(23)
    warm, timed, profiled, counted = (_support_posts(client, dataset, n, rng) for n in (3, count, 10, 1))

    def post(cookies: Any, path: str) -> None:
        client.cookies = cookies
        token = cookies[settings.CSRF_COOKIE_NAME].value
        response = client.post(path, HTTP_X_CSRFTOKEN=token, content_type="application/x-www-form-urlencoded")
        if response.status_code != 302 or login_path in response.get("Location", ""):
            raise RuntimeError(f"in-process support {path}: HTTP {response.status_code} {response.get('Location')}")

    for cookies, path in warm:  # the middleware loaded, connections opened
        post(cookies, path)
    batches: list[list[float]] = [[] for _ in range(5)]
    for index, (cookies, path) in enumerate(timed):
        start = time.process_time()
        post(cookies, path)
        batches[index * 5 // len(timed)].append(time.process_time() - start)
    cpu = 1000 * min(sum(batch) / len(batch) for batch in batches if batch)
    calls = 0
    for cookies, path in profiled:
        profile = cProfile.Profile()
        profile.enable()
        post(cookies, path)
        profile.disable()
        calls += pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as captured:
        post(*counted[0])
    log(f"in-process support: {cpu:.2f} ms CPU per request, {len(captured)} queries ({count} requests)")
    return [
        {
            "case": "support (POST)",
            "cpu_ms": round(cpu, 2),
            "queries": len(captured),
            "requests": count,
            "calls": calls // len(profiled),
        }
    ]


def main(argv: Sequence[str] | None = None) -> int:
    global WAIT_IDLE, DB_NAME, DATABASE_URL, REDIS_URL
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="8 s per scenario instead of 20 s")
    parser.add_argument("--cleanup", action="store_true", help="drop the benchmark database at the end")
    parser.add_argument("--reuse-db", action="store_true", help="keep an existing archipel_bench database")
    parser.add_argument("--duration", type=int, default=None, help="seconds per scenario (overrides --quick)")
    parser.add_argument(
        "--server",
        type=ServerConfig.parse,
        action="append",
        default=None,
        help=f"server config, repeatable to compare (default {DEFAULT_SERVER}): gthread:WxT, sync:W or granian:W[xT]",
    )
    parser.add_argument(
        "--wait-idle",
        type=int,
        default=0,
        help="before each run, wait up to N s until other jobs use < 0.3 core (shared machines)",
    )
    parser.add_argument("--only", default="list,detail,support", help="comma-separated scenarios")
    parser.add_argument(
        "--db-name",
        default=os.environ.get("BENCH_DB_NAME", DB_NAME),
        help=f"benchmark database (default $BENCH_DB_NAME or {DB_NAME}); dropped and rebuilt without --reuse-db",
    )
    parser.add_argument(
        "--redis-db",
        type=int,
        default=int(os.environ.get("BENCH_REDIS_DB", "5")),
        help="Redis database number for cache, sessions and rate limits (default $BENCH_REDIS_DB or 5)",
    )
    parser.add_argument(
        "--inprocess",
        type=int,
        default=0,
        metavar="N",
        help="instead of the load runs: CPU per request of list and detail on a cache hit and miss, and of the "
        "support POST, N requests each",
    )
    args = parser.parse_args(argv)
    WAIT_IDLE = max(0, min(args.wait_idle, 1800))
    # Several people may benchmark on one machine: each with a database and a Redis db of their own.
    if not re.fullmatch(r"archipel_bench\w*", args.db_name):
        parser.error("--db-name must start with archipel_bench (the script drops and recreates it)")
    if not 0 <= args.redis_db <= 15:
        parser.error("--redis-db must be between 0 and 15")
    DB_NAME = args.db_name
    DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
    REDIS_URL = f"redis://127.0.0.1:6379/{args.redis_db}"

    def on_signal(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    wrk_version = ensure_wrk()
    tmp_root = Path(tempfile.mkdtemp(prefix="archipel-bench-"))
    try:
        return bench(args, wrk_version, tmp_root)
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)


def bench(args: argparse.Namespace, wrk_version: str, tmp_root: Path) -> int:
    duration = args.duration or (8 if args.quick else 20)
    duration = max(1, min(duration, 120))
    servers: list[ServerConfig] = args.server or [ServerConfig.parse(DEFAULT_SERVER)]
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    secret_key = secrets.token_urlsafe(50)
    env = production_env(secret_key)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    server_log = OUT_DIR / f"gunicorn-{stamp}.log"

    reuse = args.reuse_db and database_exists()
    if not reuse:
        log(f"creating database {DB_NAME} and migrating")
        t0 = time.monotonic()
        create_database()
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env)
        migrate_seconds = round(time.monotonic() - t0, 1)
    else:
        migrate_seconds = 0.0
    setup_django(env)
    if reuse:
        log(f"reusing database {DB_NAME}")
        dataset = reuse_dataset()
    else:
        log("building the data set (COPY)")
        dataset = build_data()
        log(f"data built in {dataset.build_seconds} s: {dataset.counts}")
    log("collectstatic (WhiteNoise manifest)")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    if args.inprocess:
        count = max(20, min(args.inprocess, 2000))
        # --only support: the support POST alone (it writes: each run adds its supports).
        rows = measure_support(dataset, count) if only == {"support"} else measure_in_process(dataset, count)
        out = OUT_DIR / f"foundation-inprocess-{stamp}.json"
        out.write_text(json.dumps({"timestamp": stamp, "machine": machine_info(), "rows": rows}, indent=2))
        print()
        print("| case | CPU ms per request (in-process) | Python calls per request | queries |")
        print("|---|---:|---:|---:|")
        for row in rows:
            print(f"| {row['case']} | {row['cpu_ms']:.2f} | {row.get('calls', 0):,} | {row['queries']} |")
        return 0
    log(f"creating {N_SESSIONS} signed-in sessions in Redis")
    sessions = create_sessions(N_SESSIONS)

    results: list[Result] = []
    current: Server | None = None
    interrupted = False
    try:
        for config in servers:
            current = Server(config, secret_key, server_log)
            log(f"starting gunicorn {config.label()} on {current.base}")
            try:
                current.start()
            except RuntimeError as error:  # e.g. too slow to start on a busy machine: keep the other set-ups
                log(f"skipping {config.label()}: {error}")
                current.stop()
                current = None
                continue
            log(f"running {', '.join(sorted(only))} for {duration} s each, {CONNECTIONS} connections")
            run_scenarios(current, dataset, sessions, duration, tmp_root, only, results)
            current.stop()
            current = None
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted")
    finally:
        if current is not None:
            current.stop()
        delete_sessions(sessions)

    print()
    print(f"Archipel foundation benchmark — {CONNECTIONS} connections, {duration} s per scenario, wrk -t{WRK_THREADS}")
    print(f"data: {dataset.counts}")
    print_table(results)
    report = {
        "timestamp": stamp,
        "machine": machine_info(),
        "wrk": wrk_version,
        "connections": CONNECTIONS,
        "duration_seconds": duration,
        "servers": [f"gunicorn archipel.wsgi -c gunicorn.conf.py, {c.label()}" for c in servers],
        "database": {
            "url": DATABASE_URL,
            "migrate_seconds": migrate_seconds,
            "build_seconds": dataset.build_seconds,
            "reused": reuse,
            "counts": dataset.counts,
            "detail_pk": dataset.detail_pk,
            "list_process": dataset.big_process_slug,
        },
        "results": [{**asdict(r), "errors": r.errors} for r in results],
        "all_passed": bool(results) and all(r.passed for r in results) and not interrupted,
    }
    out = OUT_DIR / f"foundation-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"figures written to {out.relative_to(ROOT)}; gunicorn log {server_log.relative_to(ROOT)}")

    if args.cleanup:
        from django.db import connections

        connections.close_all()
        drop_database()
        log(f"database {DB_NAME} dropped")
    if interrupted:
        return 130
    return 0 if report["all_passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
