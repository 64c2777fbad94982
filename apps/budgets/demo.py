"""Demo content of the budgets module, built by ``manage.py demo_city`` after the foundation's.

Two city-wide budgets:

- « Budget participatif 2026-2027 », in its vote phase: 1 200 000 € over the 11 quartiers and a
  city-wide envelope, approval ballots (5 projects at most), Equal Shares with Add1 completion;
  about 60 feasible projects, some not feasible (with the services' reasons), some merged, and a
  few hundred ballots already cast by demo residents (habitante@ has not voted: she can try).
- « Budget participatif 2024-2025 », with published results (counted by the voting part from
  the stored ballots) whose winners became follow-up commitments, some done, some under way.

Ballots are written through the real models (voter records apart from ballot contents; locators
computed like the voting part) with bulk inserts, so the demo stays fast.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify

from apps.budgets.models import (
    Ballot,
    BallotChoice,
    Budget,
    Envelope,
    EnvelopeCriterion,
    Project,
    ProjectStatus,
    VoterRecord,
)
from apps.budgets.projects.config import compute_envelopes
from apps.budgets.projects.eligibility import RULE_CODES
from apps.core import gazetteer
from apps.core.management.commands import _demo_data as data
from apps.core.models import Phase, Process, Territory
from apps.core.richtext import render_rich_text
from apps.discussion.models import Comment
from apps.followup.models import Commitment, CommitmentUpdate

DAY = datetime.timedelta(days=1)

IDEAS: list[tuple[str, str, int, int]] = [
    # title, what, min cost, max cost
    ("Un jardin partagé", "des bacs potagers, un récupérateur d'eau de pluie et un abri à outils", 8_000, 25_000),
    ("Des bancs et de l'ombre", "des bancs confortables et des arbres pour l'ombre en été", 6_000, 30_000),
    ("Une aire de jeux inclusive", "des jeux accessibles aux enfants en situation de handicap", 40_000, 90_000),
    ("Des arceaux pour les vélos", "une vingtaine d'arceaux et un abri couvert", 5_000, 18_000),
    ("Une boîte à livres", "une boîte à livres en bois fabriquée avec un chantier d'insertion", 1_500, 4_000),
    ("Un terrain multisport rénové", "un revêtement neuf, des buts et des paniers de basket", 45_000, 110_000),
    ("Des fontaines à eau potable", "deux fontaines à eau pour les promeneurs et les sportifs", 12_000, 30_000),
    ("Éclairer le cheminement piéton", "un éclairage basse consommation sur le chemin le soir", 20_000, 60_000),
    ("Un composteur collectif", "un site de compostage de quartier animé par des bénévoles", 3_000, 9_000),
    ("Une fresque participative", "une fresque peinte avec les enfants et un artiste du quartier", 6_000, 15_000),
    ("Des toilettes publiques accessibles", "des toilettes propres et accessibles à toutes et tous", 35_000, 80_000),
    (
        "Végétaliser la cour d'école",
        "des arbres, des copeaux et des carrés de verdure à la place du bitume",
        30_000,
        95_000,
    ),
    ("Des tables de pique-nique", "des tables et des bancs pour manger dehors en famille", 4_000, 12_000),
    ("Un parcours sportif en plein air", "des agrès de musculation et d'équilibre pour tous les âges", 18_000, 50_000),
    ("Un verger de quartier", "des arbres fruitiers plantés et entretenus avec les habitants", 5_000, 16_000),
    ("Une cabane à dons", "une cabane où déposer et prendre des objets en bon état", 3_000, 8_000),
    ("Un hôtel à insectes et une mare", "un coin de biodiversité avec des panneaux pédagogiques", 6_000, 20_000),
    ("Des jeux d'eau pour l'été", "des brumisateurs et jets d'eau pour se rafraîchir", 25_000, 70_000),
]
CITY_IDEAS: list[tuple[str, str, int]] = [
    (
        "Des défibrillateurs dans les équipements sportifs",
        "un défibrillateur et une formation aux premiers secours",
        60_000,
    ),
    ("Des ateliers vélo itinérants", "un triporteur-atelier qui répare les vélos dans tous les quartiers", 45_000),
    (
        "Une carte des toilettes et fontaines accessibles",
        "une carte papier et en ligne, faite avec les associations",
        15_000,
    ),
    (
        "Des bancs tous les 300 mètres sur les grands axes",
        "pour que les personnes âgées puissent marcher en ville",
        90_000,
    ),
    ("Des boîtes à livres dans chaque quartier", "onze boîtes à livres fabriquées par un chantier d'insertion", 35_000),
    ("Un festival des jardins partagés", "une journée d'échanges de graines et d'ateliers dans toute la ville", 20_000),
]
NOT_FEASIBLE_REASONS = [
    "Ce projet ne relève pas des compétences de la Ville : la voirie de ce boulevard dépend de Nantes Métropole, "
    "à qui votre idée a été transmise.",
    "Ce projet demande surtout des frais de fonctionnement durables (un poste d'animateur), que le budget "
    "participatif ne finance pas.",
    "Le terrain proposé est privé : la Ville ne peut pas y réaliser de travaux.",
    "Le coût estimé par les services (études de sol comprises) dépasse l'enveloppe du quartier.",
    "Ce projet est déjà programmé par la Ville pour l'an prochain : il sera réalisé sans passer par le vote.",
]
COMMENTS = [
    "Très bonne idée, les enfants du quartier en ont besoin.",
    "Je soutiens ! Il faudrait penser à l'entretien dans la durée.",
    "Pourquoi pas un peu plus loin, près de l'arrêt de tram ?",
    "Avec l'association de parents d'élèves, nous sommes prêts à aider.",
    "Attention au bruit le soir pour les riverains.",
]
UPDATES = [
    "Études techniques terminées ; le projet a été présenté au conseil de quartier.",
    "Les porteurs du projet et le service ont choisi ensemble le mobilier.",
    "Travaux commencés ; une réunion de chantier est ouverte aux habitants.",
    "Réalisé et inauguré avec les habitants du quartier.",
]


def _located(place: str) -> dict[str, Decimal]:
    """The coordinates of a named place, from the demo city's street gazetteer (none: not placed)."""
    street = gazetteer.find(place) if place else None
    return {"latitude": street.latitude, "longitude": street.longitude} if street else {}


def _places(quartier: Territory) -> list[str]:
    for row in data.QUARTIERS:
        if row["name"] == quartier.name:
            return list(row["places"])
    return [quartier.name]


def _process(builder: Any, title: str, summary: str, plan: list[tuple[str, str, int, int]]) -> Process:
    process = Process.objects.create(
        title=title,
        slug=slugify(title),
        summary=summary,
        description=(
            f"{summary}\n\nLes habitantes et habitants proposent des projets d'intérêt général, les services de la "
            "Ville vérifient qu'ils sont réalisables et estiment leur coût, puis chacun vote pour les projets de son "
            "quartier et ceux de toute la ville. Les projets lauréats sont réalisés et suivis publiquement."
        ),
        territory=builder.city,
        participation_level=Process.Level.COCONSTRUCTION,
        rules_open="Les projets d'investissement d'intérêt général, dans un quartier ou pour toute la ville.",
        rules_closed="Le montant total du budget ; les projets qui relèvent d'une autre collectivité.",
        rules_decider="Les habitantes et habitants, par leur vote ; le conseil municipal engage les crédits.",
        rules_use="Les projets lauréats sont réalisés par les services et suivis sur cette plateforme.",
        answer_due=(builder.now + plan[-1][3] * DAY).date(),
        falc_summary=(
            "La Ville donne de l'argent pour des projets des habitants. Vous proposez un projet. "
            "La Ville vérifie le projet. Puis tout le monde vote. Les projets gagnants sont réalisés."
        ),
        is_published=True,
    )
    Phase.objects.bulk_create(
        [
            Phase(
                process=process,
                module="budgets",
                kind=kind,
                title=phase_title,
                starts_at=builder.now + start * DAY,
                ends_at=builder.now + end * DAY,
                start_announced_at=builder.now,
            )
            for kind, phase_title, start, end in plan
        ]
    )
    return process


def _budget(process: Process, **fields: Any) -> Budget:
    budget = Budget.objects.create(process=process, **fields)
    EnvelopeCriterion.objects.bulk_create(
        [
            EnvelopeCriterion(budget=budget, source="population", weight=Decimal(50)),
            EnvelopeCriterion(budget=budget, source="priority_population", weight=Decimal(30)),
            EnvelopeCriterion(budget=budget, source="equal", weight=Decimal(20)),
        ]
    )
    compute_envelopes(budget)
    return budget


def _projects(builder: Any, budget: Budget, per_quartier: tuple[int, int], extra: int) -> list[Project]:
    """Feasible projects (with ballot numbers), plus ``extra`` not feasible and merged ones."""
    rng = builder.rng
    envelopes = list(budget.envelopes.select_related("territory"))
    authors = builder.residents
    rows: list[Project] = []
    eligible = dict.fromkeys(RULE_CODES, True)
    for envelope in sorted(envelopes, key=lambda e: (e.territory is not None, e.territory.name if e.territory else "")):
        if envelope.territory is None:
            ideas = [(title, what, cost, cost) for title, what, cost in CITY_IDEAS]
            chosen = ideas
        else:
            chosen = rng.sample(IDEAS, rng.randint(*per_quartier))
        places = _places(envelope.territory) if envelope.territory else ["toute la ville"]
        for title, what, low, high in chosen:
            place = rng.choice(places)
            cost = min(rng.randint(low, high) // 100 * 100, envelope.amount // 2)
            city_cost = cost + rng.choice([0, 0, 500, 1_000, -500, 2_000]) if rng.random() < 0.6 else None
            full_title = title if envelope.territory is None else f"{title} — {place}"
            description = (
                f"Nous proposons {what}, {place}. Le projet profite à toutes les générations et a été discuté "
                "avec des voisins et une association du quartier.\n\n- Pour qui : les habitants, les écoles, "
                "les associations.\n- Entretien : assuré par les services avec l'appui des habitants."
            )
            rows.append(
                Project(
                    budget=budget,
                    envelope=envelope,
                    author=rng.choice(authors),
                    collective=rng.choice(
                        ["", "", "Association des habitants", "Collectif du square", "Amicale laïque"]
                    ),
                    title=full_title[:150],
                    description=description,
                    description_html=render_rich_text(description),
                    address=place if envelope.territory else "",
                    **_located(place if envelope.territory else ""),
                    estimated_cost=max(cost, 500),
                    city_cost=max(city_cost, 500) if city_cost is not None else None,
                    status=ProjectStatus.FEASIBLE,
                    analysis_reason="Projet réalisable : les services ont vérifié le lieu, le coût et l'entretien.",
                    eligibility=eligible,
                    analysed_at=builder.now - 40 * DAY,
                )
            )
    quartier_envelopes = [e for e in envelopes if e.territory is not None]
    for index in range(extra):
        envelope = rng.choice(quartier_envelopes)
        title, what, low, high = rng.choice(IDEAS)
        place = rng.choice(_places(envelope.territory))
        reason = NOT_FEASIBLE_REASONS[index % len(NOT_FEASIBLE_REASONS)]
        description = f"Nous proposons {what}, {place}."
        rows.append(
            Project(
                budget=budget,
                envelope=envelope,
                author=rng.choice(authors),
                title=f"{title} — {place}"[:150],
                description=description,
                description_html=render_rich_text(description),
                address=place,
                **_located(place),
                estimated_cost=rng.randint(low, high) // 100 * 100,
                status=ProjectStatus.NOT_FEASIBLE,
                analysis_reason=reason,
                eligibility={**eligible, "city_competence": index % 5 != 0, "investment": index % 5 != 1},
                analysed_at=builder.now - 40 * DAY,
            )
        )
    Project.objects.bulk_create(rows)
    projects = list(Project.objects.filter(budget=budget).select_related("envelope__territory").order_by("pk"))
    feasible = [p for p in projects if p.status == ProjectStatus.FEASIBLE]
    feasible.sort(
        key=lambda p: (
            p.envelope.territory is not None,
            p.envelope.territory.name if p.envelope.territory else "",
            p.pk,
        )
    )
    for number, project in enumerate(feasible, start=1):
        project.ballot_number = number
    Project.objects.bulk_update(feasible, ["ballot_number"])
    return projects


def _merge(builder: Any, budget: Budget, projects: list[Project], count: int) -> int:
    """A few late duplicates merged into a feasible project of the same envelope."""
    rng = builder.rng
    feasible = [p for p in projects if p.status == ProjectStatus.FEASIBLE and p.envelope.territory is not None]
    rows = []
    targets = rng.sample(feasible, count)
    for target in targets:
        description = f"Une idée proche de « {target.title} », déposée séparément par un voisin."
        rows.append(
            Project(
                budget=budget,
                envelope=target.envelope,
                author=rng.choice(builder.residents),
                title=f"{target.title.split(' — ')[0]} (autre proposition)"[:150],
                description=description,
                description_html=render_rich_text(description),
                estimated_cost=target.estimated_cost,
                status=ProjectStatus.MERGED,
                merged_into=target,
                analysis_reason="Fusionné avec un projet très proche : ses porteurs sont co-porteurs du projet retenu.",
                analysed_at=builder.now - 45 * DAY,
            )
        )
    Project.objects.bulk_create(rows)
    through = Project.coauthors.through
    merged = Project.objects.filter(budget=budget, status=ProjectStatus.MERGED)
    through.objects.bulk_create(
        [
            through(project_id=p.merged_into_id, user_id=p.author_id)
            for p in merged
            if p.author_id and p.author_id != next(t.author_id for t in targets if t.pk == p.merged_into_id)
        ],
        ignore_conflicts=True,
    )
    return len(rows)


def _ballots(builder: Any, budget: Budget, projects: list[Project], *, turnout: float, erase: bool) -> int:
    """Voter records and ballots of demo residents: home quartier and city-wide envelopes.
    Popularity weights make the outcome meaningful; each ballot approves up to 5 projects."""
    from apps.budgets.voting.services import ballot_locator, new_receipt

    rng = builder.rng
    envelopes = {e.territory_id: e for e in budget.envelopes.all()}
    on_ballot: dict[int, list[Project]] = {}
    for project in projects:
        if project.status == ProjectStatus.FEASIBLE:
            on_ballot.setdefault(project.envelope_id, []).append(project)
    popularity = {p.pk: rng.random() ** 2 + 0.05 for p in projects}
    records: list[VoterRecord] = []
    ballots: list[Ballot] = []
    contents: list[list[int]] = []
    for user in [*builder.residents, builder.demo["voisin"]]:
        home_id = user.home_territory_id
        for territory_id, chance in ((home_id, turnout), (None, turnout * 0.7)):
            envelope = envelopes.get(territory_id)
            if envelope is None or not on_ballot.get(envelope.pk) or rng.random() > chance:
                continue
            candidates = on_ballot[envelope.pk]
            size = min(len(candidates), rng.randint(1, budget.max_choices or 5))
            chosen: set[int] = set()
            while len(chosen) < size:
                chosen.add(rng.choices(candidates, weights=[popularity[p.pk] for p in candidates])[0].pk)
            records.append(
                VoterRecord(
                    budget=budget,
                    scope=VoterRecord.scope_of(envelope),
                    envelope=envelope,
                    user=user,
                    territory_id=home_id,
                )
            )
            ballots.append(
                Ballot(
                    envelope=envelope, locator=None if erase else ballot_locator(envelope, user), receipt=new_receipt()
                )
            )
            contents.append(sorted(chosen))
    VoterRecord.objects.bulk_create(records)
    # Ballots in another order than the voter records (as the close leaves them).
    paired = list(zip(ballots, contents, strict=True))
    rng.shuffle(paired)
    ballots = [ballot for ballot, _chosen in paired]
    contents = [chosen for _ballot, chosen in paired]
    Ballot.objects.bulk_create(ballots)
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot_id=ballot.pk, project_id=project_id)
            for ballot, chosen in zip(ballots, contents, strict=True)
            for project_id in chosen
        ],
        batch_size=2000,
    )
    return len(ballots)


def _comments(builder: Any, projects: list[Project]) -> int:
    rng = builder.rng
    rows = []
    project_type = ContentType.objects.get_for_model(Project)
    for project in rng.sample(projects, min(25, len(projects))):
        for _index in range(rng.randint(1, 3)):
            rows.append(
                Comment(
                    target_type=project_type,
                    target_id=project.pk,
                    process_id=project.budget.process_id,
                    author=rng.choice(builder.residents),
                    body=rng.choice(COMMENTS),
                )
            )
    Comment.objects.bulk_create(rows)
    counts: dict[int, int] = {}
    for row in rows:
        counts[row.target_id] = counts.get(row.target_id, 0) + 1
    for project in projects:
        if project.pk in counts:
            project.comment_count = counts[project.pk]
    Project.objects.bulk_update([p for p in projects if p.pk in counts], ["comment_count"])
    return len(rows)


def _current_vote(builder: Any) -> tuple[Budget, int, int]:
    process = _process(
        builder,
        "Budget participatif 2026-2027",
        "1,2 million d'euros pour des projets imaginés par les Nantaises et les Nantais, dans les onze quartiers "
        "et pour toute la ville. Le vote est ouvert !",
        [
            ("submission", "Dépôt des projets", -120, -75),
            ("analysis", "Analyse technique par la Ville", -75, -10),
            ("vote", "Vote", -10, 20),
            ("results", "Résultats", 20, 35),
            ("realisation", "Réalisation des projets", 35, 400),
        ],
    )
    budget = _budget(
        process,
        total_amount=1_200_000,
        city_wide_share=Decimal(10),
        minimum_per_quartier=40_000,
        ballot_type="approval",
        max_choices=5,
        counting_rule="equal-shares",
        completion="add1-utilitarian",
        rules_falc=(
            "Vous pouvez voter si vous avez 16 ans ou plus et si vous habitez Nantes. "
            "Vous choisissez 5 projets au plus dans votre quartier. "
            "Vous pouvez aussi choisir des projets pour toute la ville. "
            "Vous pouvez changer votre vote jusqu'à la fin du vote. "
            "Les projets gagnants sont choisis pour que chaque groupe d'habitants ait des projets."
        ),
    )
    projects = _projects(builder, budget, (4, 6), extra=12)
    merged = _merge(builder, budget, projects, 5)
    count = _ballots(builder, budget, projects, turnout=0.75, erase=False)
    Budget.objects.filter(pk=budget.pk).update(rules_frozen_at=builder.now - 9 * DAY)
    comments = _comments(builder, projects)
    return budget, len(projects) + merged + comments * 0, count


def _past_budget(builder: Any) -> tuple[Budget, int, int, int]:
    from apps.budgets.voting.results import compute_results

    process = _process(
        builder,
        "Budget participatif 2024-2025",
        "Le premier budget participatif de la Ville : 1 million d'euros, des projets choisis par les habitants "
        "et aujourd'hui réalisés ou en cours de réalisation.",
        [
            ("submission", "Dépôt des projets", -560, -500),
            ("analysis", "Analyse technique par la Ville", -500, -430),
            ("vote", "Vote", -430, -400),
            ("results", "Résultats", -400, -380),
            ("realisation", "Réalisation des projets", -380, 200),
        ],
    )
    budget = _budget(
        process,
        total_amount=1_000_000,
        city_wide_share=Decimal(10),
        minimum_per_quartier=30_000,
        ballot_type="approval",
        max_choices=5,
        counting_rule="greedy",
        rules_falc=(
            "Vous choisissez 5 projets au plus. Les projets qui ont le plus de voix gagnent, "
            "tant qu'il reste de l'argent dans l'enveloppe."
        ),
    )
    projects = _projects(builder, budget, (3, 4), extra=6)
    count = _ballots(builder, budget, projects, turnout=0.85, erase=True)
    closed = builder.now - 400 * DAY
    Budget.objects.filter(pk=budget.pk).update(
        rules_frozen_at=builder.now - 429 * DAY, locators_erased_at=closed, results_published_at=closed + 2 * DAY
    )
    budget.refresh_from_db()
    results = compute_results(budget)
    winners = [pk for result in results for pk in result.selected]
    Project.objects.filter(budget=budget, status=ProjectStatus.FEASIBLE).exclude(pk__in=winners).update(
        status=ProjectStatus.NOT_SELECTED
    )
    Project.objects.filter(pk__in=winners).update(status=ProjectStatus.SELECTED)
    commitments = _commitments(builder, budget, winners)
    return budget, len(projects), count, commitments


def _commitments(builder: Any, budget: Budget, winners: list[int]) -> int:
    rng = builder.rng
    source_type = ContentType.objects.get_for_model(Project)
    services = list(builder.services.values())
    rows = []
    states = []
    for project in Project.objects.filter(pk__in=winners).select_related("envelope__territory").order_by("pk"):
        stage = rng.choice([1, 2, 3, 3, 4, 4, 4])
        state = Commitment.State.DONE if stage == 4 else Commitment.State.IN_PROGRESS
        states.append(stage)
        rows.append(
            Commitment(
                process=budget.process,
                territory=project.envelope.territory,
                title=project.title,
                description=project.description,
                service=rng.choice(services),
                planned_date=builder.today + datetime.timedelta(days=rng.randint(-200, 240)),
                progress={1: 20, 2: 45, 3: 70, 4: 100}[stage],
                state=state,
                made_with_residents=True,
                source_type=source_type,
                source_id=project.pk,
            )
        )
    Commitment.objects.bulk_create(rows)
    created = list(Commitment.objects.filter(source_type=source_type, source_id__in=winners).order_by("source_id"))
    author = builder.demo["agent"]
    updates = []
    for commitment, stage in zip(created, states, strict=True):
        for step in range(stage):
            updates.append(
                CommitmentUpdate(
                    commitment=commitment,
                    date=builder.today - datetime.timedelta(days=300 - 70 * step),
                    body=UPDATES[step],
                    progress={0: 20, 1: 45, 2: 70, 3: 100}[step],
                    state=Commitment.State.DONE if step == 3 else Commitment.State.IN_PROGRESS,
                    author=author,
                )
            )
    CommitmentUpdate.objects.bulk_create(updates)
    return len(created)


def build(builder: Any) -> dict[str, int]:
    current, current_projects, current_ballots = _current_vote(builder)
    past, past_projects, past_ballots, commitments = _past_budget(builder)
    return {
        "budgets participatifs": 2,
        "projets de budget": current_projects + past_projects,
        "bulletins de vote": current_ballots + past_ballots,
        "engagements de budget": commitments,
        "enveloppes": Envelope.objects.filter(budget__in=[current, past]).count(),
    }
