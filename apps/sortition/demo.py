"""Demo content of the sortition module, built by ``manage.py demo_city`` after the foundation's.

Three draws, looked up by slug by the workshops and councils demos:

- ``atelier-mobilites-2026``: done and published (360 people, 5 categories, panel of 24, leximin,
  seed announced, drawn, confirmations, declines and alternates);
- ``atelier-alimentation-2027``: pool loaded, probabilities computed and announced with a public
  event *in the past* (the demo backdates its timeline), so that an agent can type the event's
  result and run the final draw at once in the browser;
- ``conseil-citoyen-bellevue-2026``: 12 tenants drawn from a social landlord's list, done.

Everything goes through the services, so the audit log and the public history are real.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
FEMALE_NAMES = FIRST_NAMES[:12]
MALE_NAMES = FIRST_NAMES[12:24]
EPICENE_NAMES = ["Camille", "Dominique", "Claude", "Alex", "Sacha"]
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


def _first_names(features: dict[str, str]) -> list[str]:
    """First names that go with the person's declared gender (a "femme" is not called Lucas)."""
    genre = features.get("genre")
    if genre == "femme":
        return FEMALE_NAMES
    if genre == "homme":
        return MALE_NAMES
    return EPICENE_NAMES


# First names of the demo's accounts (``demo_city``) by gender, to seat them on fitting members.
ACCOUNT_WOMEN = {
    "Awa",
    "Camille",
    "Chloé",
    "Élise",
    "Fatou",
    "Hélène",
    "Inès",
    "Léa",
    "Nadia",
    "Pauline",
    "Rachida",
    "Tiphaine",
    "Valérie",
    "Yasmine",
    "Zoé",
    "Anne",
    "Coralie",
    "Emma",
    "Gwenaëlle",
    "Jeanne",
    "Lucie",
    "Nathalie",
}


def _account_genre(display_name: str) -> str | None:
    first = display_name.replace(",", " ").split()[0] if display_name.strip() else ""
    return "femme" if first in ACCOUNT_WOMEN else "homme"


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
        phone = f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        features = [_pick(rng, v) for _, v in categories]
        # A first name that fits the declared gender, chosen without drawing from ``rng`` again
        # (the pools, hence the demo's panels, stay those the quotas were tuned on).
        names = _first_names(dict(zip((c for c, _ in categories), features, strict=True)))
        first = names[FIRST_NAMES.index(first) % len(names)]
        email = f"{first}.{last}.{i}@exemple.fr".lower().replace(" ", "-")
        writer.writerow([f"{prefix}{i + 1:04d}", first, last, email, phone, *features])
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


def _announce(builder: Any, draw: Draw, source: str, event_at: datetime.datetime) -> None:
    """Compute and announce ``draw`` with the public event ``source`` known from ``event_at``.

    The announcement must come before the event: the service announces with a future date (the
    rules a real agent meets), then the demo moves the timeline back in time so that the event
    lies in the past (``event_at``, announced a week before it). Demo data only: the demo's
    draws can then be run at once, and the public page shows a consistent timeline.
    """
    agent = builder.demo["agent"]
    services.probabilities_request(actor=agent, draw=draw)
    draw.refresh_from_db()
    if draw.state != Draw.State.COMPUTED:  # infeasible quotas would be a bug of this file
        raise RuntimeError(f"demo draw {draw.slug} could not be computed")
    services.seed_announce(
        actor=agent, draw=draw, seed_source=source, seed_event_at=timezone.now() + datetime.timedelta(days=2)
    )
    Draw.objects.filter(pk=draw.pk).update(
        seed_event_at=event_at, seed_announced_at=event_at - datetime.timedelta(days=7)
    )
    draw.refresh_from_db()


# Sets of decliners tried before giving up (each with a replacement the quotas allow, mostly).
ATTEMPTS = 20


def _answer_invitations(agent: Any, selected: list[PoolMember], decliners: set[int]) -> None:
    for index, member in enumerate(selected):
        services.member_set_status(actor=agent, member=member, status=PoolMember.Status.INVITED)
        status = PoolMember.Status.DECLINED if index in decliners else PoolMember.Status.CONFIRMED
        services.member_set_status(actor=agent, member=member, status=status)


def _run_to_the_end(
    builder: Any,
    draw: Draw,
    result: str,
    source: str,
    event_at: datetime.datetime,
    declines: int,
    confirmed_users: list[Any],
) -> None:
    agent = builder.demo["agent"]
    _announce(builder, draw, source, event_at)
    services.draw_final(actor=agent, draw=draw, event_result=result)
    selected = list(draw.members.filter(status=PoolMember.Status.SELECTED).order_by("pk"))
    rng: random.Random = builder.rng
    for attempt in range(ATTEMPTS):
        decliners = set(rng.sample(range(len(selected)), declines))
        try:
            # A savepoint per attempt: some sets of decliners leave no one in the pool with the
            # features their seats need (the quotas are tight), which the service refuses.
            with transaction.atomic():
                _answer_invitations(agent, selected, decliners)
                if declines:
                    services.alternates_draw(actor=agent, draw=draw)
                    for member in draw.members.filter(status=PoolMember.Status.ALTERNATE):
                        services.member_set_status(actor=agent, member=member, status=PoolMember.Status.CONFIRMED)
            break
        except ValidationError:
            if attempt == ATTEMPTS - 1:
                raise
            draw.refresh_from_db()
            for member in selected:
                member.refresh_from_db()
    # Some confirmed members have an account on the platform (the workshop shows them their panel).
    # Each account goes to a member whose declared gender fits its first name (no « Léa — homme »).
    confirmed = list(draw.members.filter(status=PoolMember.Status.CONFIRMED).order_by("pk"))
    for user in confirmed_users:
        genre = _account_genre(user.display_name)
        seat = next((m for m in confirmed if genre in (None, m.features.get("genre"))), None)
        if seat is None:
            continue
        confirmed.remove(seat)
        seat.user = user
        seat.personal = {**seat.personal, "prenom": user.display_name.split(",")[0], "courriel": user.email}
        seat.save(update_fields=["user", "personal"])


def _evening(day: datetime.date) -> datetime.datetime:
    """The evening of a lottery draw: results are public from 22:00 (Paris time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(22, 0)))


DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _french_date(day: datetime.date) -> str:
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"


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
        result="07 19 23 38 44 — 03 11",
        source="les 5 numéros et 2 étoiles du tirage EuroMillions du vendredi 13 mars 2026, dans l'ordre croissant",
        event_at=_evening(datetime.date(2026, 3, 13)),
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
    # Ready to run in the demo: announced, its event already in the past (see ``_announce``), so
    # an agent can type the result and draw at once.
    friday = builder.today - datetime.timedelta(days=(builder.today.weekday() - 4) % 7 or 7)
    _announce(
        builder,
        food,
        f"les 5 numéros et 2 étoiles du tirage EuroMillions du {_french_date(friday)}, dans l'ordre croissant",
        _evening(friday),
    )

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
        result="12 25 31 40 47",
        source="les 5 numéros du tirage Loto du samedi 18 avril 2026, dans l'ordre croissant",
        event_at=_evening(datetime.date(2026, 4, 18)),
        declines=2,
        confirmed_users=[builder.demo["voisin"], *builder.residents[20:24]],
    )
    return {
        "tirages au sort": Draw.objects.count(),
        "membres de panels confirmés": PoolMember.objects.filter(status=PoolMember.Status.CONFIRMED).count(),
    }
