"""``manage.py demo_city``: builds the French demo city (Nantes and its 11 quartiers).

The core builds the city, its quartiers, themes, services and accounts; then each module builds
its part (processes, proposals, budgets, draws…) through the demo builder its manifest declares,
so this command names no module.
"""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.core.demo_pictures import illustrate_demo
from apps.core.management.commands import _demo_data as data
from apps.core.management.commands._demo_geodata import demo_boundaries
from apps.core.models import Role, RoleAssignment, Service, Territory, Theme
from apps.core.registry import demo_builders

# The accounts are the foundation's model: the core reaches it through Django, not by import.
User = get_user_model()

# Public on purpose: documented in the README and docs/CONTRACT.md for the demo accounts.
DEMO_PASSWORD = "demo-archipel-2026"  # noqa: S105

# (email, display name, role or None, home quartier index)
DEMO_ACCOUNTS: list[tuple[str, str, str | None, int]] = [
    ("habitante@demo.archipel.fr", "Camille, habitante de Malakoff", None, 4),
    ("voisin@demo.archipel.fr", "Moussa, voisin de Nantes Nord", None, 7),
    ("agent@demo.archipel.fr", "Sophie, agente du dialogue citoyen", Role.AGENT, 0),
    ("elue@demo.archipel.fr", "Marie, élue au dialogue citoyen", Role.ELU, 0),
    ("moderation@demo.archipel.fr", "Yann, modérateur", Role.MODERATOR, 0),
    ("admin@demo.archipel.fr", "Administration Archipel", Role.ADMIN, 0),
]


class Builder:
    def __init__(self, *, size: str, seed: int, stdout: Any) -> None:
        # Reproducible demo content, not security: a seeded PRNG is what we want.
        self.rng = random.Random(seed)  # noqa: S311
        self.size = size
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.stdout = stdout

    # --- reference data -------------------------------------------------
    def territories(self) -> None:
        boundaries = demo_boundaries()
        self.city = Territory.objects.create(
            name="Nantes",
            slug="nantes",
            kind=Territory.Kind.CITY,
            population=323000,
            priority_population=45000,
            boundary=boundaries.get("Nantes"),
            description=(
                "Ville de Nantes : onze quartiers, chacun avec son équipe de quartier et ses rendez-vous citoyens."
            ),
        )
        rows = [
            Territory(
                name=q["name"],
                slug=slugify(q["name"]),
                kind=Territory.Kind.QUARTIER,
                parent=self.city,
                population=q["population"],
                is_priority_area=q["qpv"] is not None,
                priority_population=q["qpv"],
                boundary=boundaries.get(q["name"]),
                description=q["description"]
                + (
                    " Le quartier compte un quartier prioritaire de la politique de la ville (QPV)." if q["qpv"] else ""
                ),
            )
            for q in data.QUARTIERS
        ]
        self.quartiers = Territory.objects.bulk_create(rows)
        if self.quartiers[0].pk is None:  # backends that do not return ids
            self.quartiers = list(Territory.objects.filter(parent=self.city).order_by("pk"))
        self.themes = {t.slug: t for t in Theme.objects.bulk_create([Theme(name=n, slug=s) for n, s in data.THEMES])}
        self.themes = {t.slug: t for t in Theme.objects.all()}
        Service.objects.bulk_create([Service(name=name) for name in data.SERVICES])
        self.services = {s.name: s for s in Service.objects.all()}

    def accounts(self) -> None:
        demo_hash = make_password(DEMO_PASSWORD)
        users: list[Any] = []
        for email, name, role, home in DEMO_ACCOUNTS:
            users.append(
                User(
                    email=email,
                    username=email,
                    display_name=name,
                    password=demo_hash,
                    home_territory=self.quartiers[home],
                    verification=User.Verification.EMAIL,
                    is_superuser=role == Role.ADMIN,
                    is_staff=role == Role.ADMIN,
                )
            )
        # Residents never sign in in the demo: one unusable-but-valid hash for all, computed once.
        resident_hash = make_password(None)
        for index in range(150):
            first = data.FIRST_NAMES[index % len(data.FIRST_NAMES)]
            initial = data.LAST_INITIALS[(index // len(data.FIRST_NAMES) + index) % len(data.LAST_INITIALS)]
            email = f"habitant{index:03d}@demo.archipel.fr"
            users.append(
                User(
                    email=email,
                    username=email,
                    display_name=f"{first} {initial}.",
                    password=resident_hash,
                    home_territory=self.rng.choice(self.quartiers),
                    verification=User.Verification.EMAIL,
                )
            )
        User.objects.bulk_create(users)
        by_email: dict[str, Any] = {u.email: u for u in User.objects.filter(email__endswith="@demo.archipel.fr")}
        self.demo = {email.split("@")[0]: by_email[email] for email, *_ in DEMO_ACCOUNTS}
        self.residents = [by_email[u.email] for u in users[len(DEMO_ACCOUNTS) :]]
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    user=by_email[email],
                    role=role,
                    service=self.services["Direction du dialogue citoyen"] if role == Role.AGENT else None,
                )
                for email, _name, role, _home in DEMO_ACCOUNTS
                if role is not None
            ]
        )

    def build(self) -> dict[str, int]:
        self.territories()
        self.accounts()
        counts = {"quartiers": len(self.quartiers), "comptes": User.objects.count()}
        counts.update(self.modules())
        # Pictures last, once every module has built what they illustrate.
        counts["images"] = illustrate_demo(self.rng, per_model=16 if self.size == "full" else 4)
        return counts

    def modules(self) -> dict[str, int]:
        """Each module declares its demo in its manifest (``DemoBuilder(build, order)``):
        ``build(builder) -> counts`` reads ``city``, ``quartiers``, ``demo`` (the demo accounts by
        e-mail prefix), ``residents``, ``services``, ``themes``, ``rng``, ``size``, ``now`` and
        ``today`` from here. They run in their declared order, on one shared random sequence."""
        counts: dict[str, int] = {}
        for _name, demo in demo_builders():
            counts.update(demo.build(self))
        return counts


class Command(BaseCommand):
    help = "Construit la ville de démonstration (Nantes, 11 quartiers) en français."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Ne rien faire si un territoire existe déjà.")
        parser.add_argument("--size", choices=("small", "full"), default="full")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if Territory.objects.exists():
            if options["if_empty"]:
                self.stdout.write("La base contient déjà des territoires : ville de démonstration non reconstruite.")
                return
            raise CommandError("La base contient déjà des territoires. Utilisez une base vide ou --if-empty.")
        with transaction.atomic():
            counts = Builder(size=options["size"], seed=options["seed"], stdout=self.stdout).build()
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Ville de démonstration construite : {summary}."))
        self.stdout.write(f"Comptes de démonstration (mot de passe « {DEMO_PASSWORD} ») :")
        for email, name, _role, _home in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email} — {name}")
