"""Demo content of the sortition module, built by ``manage.py demo_city`` after the foundation's.

Three draws, looked up by slug by the workshops and councils demos:

- ``atelier-mobilites-2026``: done and published (360 people, 5 categories, panel of 24, leximin,
  seed announced, drawn, confirmations, declines and alternates);
- ``atelier-alimentation-2027``: pool loaded, not computed yet, so that an agent can run a draw
  end to end in the browser;
- ``conseil-citoyen-bellevue-2026``: 12 tenants drawn from a social landlord's list, done.

Everything goes through the services, so the audit log and the public history are real.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from typing import Any

from apps.sortition import services
from apps.sortition.models import Draw, PoolMember

FIRST_NAMES = [
    "Camille",
    "Léa",
    "Inès",
    "Fatou",
    "Nadia",
    "Chloé",
    "Manon",
    "Aïcha",
    "Louise",
    "Sarah",
    "Yasmina",
    "Jeanne",
    "Lucas",
    "Hugo",
    "Karim",
    "Mamadou",
    "Thomas",
    "Nicolas",
    "Youssef",
    "Julien",
    "Mathis",
    "Ousmane",
    "Pierre",
    "Kevin",
    "Dominique",
    "Claude",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Le Goff",
    "Diallo",
    "Moreau",
    "Guérin",
    "Benali",
    "Le Floch",
    "Petit",
    "Traoré",
    "Robert",
    "Nguyen",
    "Garnier",
    "Kerdoncuff",
    "Mercier",
    "Haddad",
    "Rousseau",
    "Ba",
    "Fontaine",
    "Tessier",
]
# (category, [(value, weight in the pool, share of the panel)]): volunteers are older and more
# educated than the population; the quotas follow the population (INSEE-like shares for Nantes).
# Five categories keep leximin on 360 people around a second (six take about ten).
MOBILITY_CATEGORIES: list[tuple[str, list[tuple[str, float, float]]]] = [
    ("genre", [("femme", 0.56, 0.51), ("homme", 0.42, 0.47), ("autre", 0.02, 0.02)]),
    (
        "tranche_age",
        [
            ("16-29 ans", 0.14, 0.27),
            ("30-44 ans", 0.24, 0.25),
            ("45-59 ans", 0.28, 0.22),
            ("60 ans et plus", 0.34, 0.26),
        ],
    ),
    (
        "diplome",
        [("sans diplôme ou brevet", 0.12, 0.25), ("CAP, BEP ou bac", 0.3, 0.33), ("bac +2 ou plus", 0.58, 0.42)],
    ),
    (
        "logement",
        [("locataire HLM", 0.16, 0.22), ("locataire privé", 0.36, 0.38), ("propriétaire", 0.48, 0.4)],
    ),
    ("qpv", [("habite un QPV", 0.14, 0.17), ("hors QPV", 0.86, 0.83)]),
]
FOOD_CATEGORIES: list[tuple[str, list[tuple[str, float, float]]]] = [
    ("genre", [("femme", 0.6, 0.5), ("homme", 0.4, 0.5)]),
    ("tranche_age", [("16-34 ans", 0.2, 0.35), ("35-59 ans", 0.45, 0.35), ("60 ans et plus", 0.35, 0.3)]),
    ("qpv", [("habite un QPV", 0.12, 0.2), ("hors QPV", 0.88, 0.8)]),
    ("enfants", [("enfants au foyer", 0.38, 0.4), ("pas d'enfant au foyer", 0.62, 0.6)]),
]
BELLEVUE_CATEGORIES: list[tuple[str, list[tuple[str, float, float]]]] = [
    ("genre", [("femme", 0.58, 0.5), ("homme", 0.42, 0.5)]),
    ("tranche_age", [("18-39 ans", 0.35, 0.34), ("40-64 ans", 0.4, 0.33), ("65 ans et plus", 0.25, 0.33)]),
    ("secteur", [("Bellevue nord (Nantes)", 0.55, 0.5), ("Bellevue sud (Saint-Herblain)", 0.45, 0.5)]),
]


def _pick(rng: random.Random, values: list[tuple[str, float, float]]) -> str:
    return rng.choices([v for v, _w, _s in values], weights=[w for _v, w, _s in values])[0]


def _files(
    rng: random.Random,
    categories: list[tuple[str, list[tuple[str, float, float]]]],
    size: int,
    panel: int,
    prefix: str,
    margin: float = 0.35,
) -> tuple[bytes, bytes]:
    """A respondents file with personal columns and a quota file (panel share ± a margin)."""
    people = io.StringIO()
    writer = csv.writer(people, lineterminator="\n")
    writer.writerow(["pool_member_identifier", "prenom", "nom", "courriel", "telephone", *(c for c, _ in categories)])
    for i in range(size):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}.{i}@exemple.fr".lower().replace(" ", "-")
        phone = f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        writer.writerow([f"{prefix}{i + 1:04d}", first, last, email, phone, *(_pick(rng, v) for _, v in categories)])
    quotas = io.StringIO()
    qwriter = csv.writer(quotas, lineterminator="\n")
    qwriter.writerow(["category", "feature", "min", "max"])
    for category, values in categories:
        for value, _weight, share in values:
            target = share * panel
            qwriter.writerow(
                [
                    category,
                    value,
                    max(0, int(target - max(1, margin * target))),
                    int(target + max(1, margin * target)) + 1,
                ]
            )
    return people.getvalue().encode("utf-8"), quotas.getvalue().encode("utf-8")


def _purge(builder: Any, days: int) -> datetime.date:
    today: datetime.date = builder.today
    return today + datetime.timedelta(days=days)


def _run_to_the_end(
    builder: Any, draw: Draw, seed: str, source: str, declines: int, confirmed_users: list[Any]
) -> None:
    agent = builder.demo["agent"]
    services.probabilities_request(actor=agent, draw=draw)
    draw.refresh_from_db()
    if draw.state != Draw.State.COMPUTED:  # infeasible quotas would be a bug of this file
        raise RuntimeError(f"demo draw {draw.slug} could not be computed")
    services.seed_announce(actor=agent, draw=draw, seed=seed, seed_source=source)
    services.draw_final(actor=agent, draw=draw)
    selected = list(draw.members.filter(status=PoolMember.Status.SELECTED).order_by("pk"))
    rng: random.Random = builder.rng
    decliners = set(rng.sample(range(len(selected)), declines))
    for index, member in enumerate(selected):
        services.member_set_status(actor=agent, member=member, status=PoolMember.Status.INVITED)
        status = PoolMember.Status.DECLINED if index in decliners else PoolMember.Status.CONFIRMED
        services.member_set_status(actor=agent, member=member, status=status)
    if declines:
        services.alternates_draw(actor=agent, draw=draw)
        for member in draw.members.filter(status=PoolMember.Status.ALTERNATE):
            services.member_set_status(actor=agent, member=member, status=PoolMember.Status.CONFIRMED)
    # Some confirmed members have an account on the platform (the workshop shows them their panel).
    confirmed = list(draw.members.filter(status=PoolMember.Status.CONFIRMED).order_by("pk"))
    for member, user in zip(confirmed, confirmed_users, strict=False):
        member.user = user
        member.personal = {**member.personal, "prenom": user.display_name.split(",")[0], "courriel": user.email}
        member.save(update_fields=["user", "personal"])
    services.draw_publish(actor=agent, draw=draw)


def build(builder: Any) -> dict[str, int]:
    rng = random.Random(4242)  # noqa: S311  (demo data; independent of the other demos: same pools every time)
    agent = builder.demo["agent"]
    city = builder.city
    quartiers = builder.quartiers
    bellevue = next((q for q in quartiers if "Bellevue" in q.name), city)

    people, quotas = _files(rng, MOBILITY_CATEGORIES, 360, 24, "LE")
    mobility = services.draw_create(
        actor=agent,
        title="Panel de l'atelier citoyen sur les mobilités",
        slug="atelier-mobilites-2026",
        purpose=(
            "Tirer au sort les 24 habitantes et habitants de l'atelier citoyen sur les mobilités du quotidien. "
            "Les personnes ont été tirées parmi 360 volontaires issus d'un premier tirage sur la liste électorale, "
            "avec des quotas pour que le panel ressemble à la population nantaise."
        ),
        territory=city,
        panel_size=24,
        list_source=Draw.ListSource.ELECTORAL_ROLL,
        legal_basis=(
            "Mission d'intérêt public (article 6-1-e du RGPD) ; délibération du conseil municipal du 7 février 2026 "
            "créant l'atelier citoyen."
        ),
        purge_on=_purge(builder, 300),
    )
    services.pool_import(
        actor=agent, draw=mobility, people=people, categories=quotas, people_name="liste-mobilites.csv"
    )
    _run_to_the_end(
        builder,
        mobility,
        seed="07 19 23 38 44 — 03 11",
        source="les 5 numéros et 2 étoiles du tirage EuroMillions du 13 mars 2026",
        declines=3,
        confirmed_users=[builder.demo["habitante"], *builder.residents[:8]],
    )

    people, quotas = _files(rng, FOOD_CATEGORIES, 150, 16, "AL")
    food = services.draw_create(
        actor=agent,
        title="Panel de l'atelier citoyen sur l'alimentation",
        slug="atelier-alimentation-2027",
        purpose="Tirer au sort les 16 membres de l'atelier citoyen sur l'alimentation durable (début 2027).",
        territory=city,
        panel_size=16,
        list_source=Draw.ListSource.ELECTORAL_ROLL,
        legal_basis="Mission d'intérêt public (article 6-1-e du RGPD).",
        purge_on=_purge(builder, 540),
    )
    services.pool_import(actor=agent, draw=food, people=people, categories=quotas, people_name="liste-alimentation.csv")

    people, quotas = _files(rng, BELLEVUE_CATEGORIES, 84, 12, "BV", margin=0.3)
    council = services.draw_create(
        actor=agent,
        title="Locataires du conseil citoyen de Bellevue",
        slug="conseil-citoyen-bellevue-2026",
        purpose=(
            "Tirer au sort 12 locataires parmi le fichier des bailleurs sociaux du quartier prioritaire de Bellevue "
            "pour le collège « habitants » du conseil citoyen."
        ),
        territory=bellevue,
        panel_size=12,
        list_source=Draw.ListSource.SOCIAL_LANDLORD,
        legal_basis=(
            "Loi du 21 février 2014 de programmation pour la ville et la cohésion urbaine (article 7) ; "
            "convention avec les bailleurs sociaux."
        ),
        purge_on=_purge(builder, 365),
    )
    services.pool_import(
        actor=agent, draw=council, people=people, categories=quotas, people_name="locataires-bellevue.csv"
    )
    _run_to_the_end(
        builder,
        council,
        seed="12 25 31 40 47",
        source="les 5 numéros du tirage Loto du 18 avril 2026",
        declines=2,
        confirmed_users=[builder.demo["voisin"], *builder.residents[20:24]],
    )
    return {
        "tirages au sort": Draw.objects.count(),
        "membres de panels confirmés": PoolMember.objects.filter(status=PoolMember.Status.CONFIRMED).count(),
    }
