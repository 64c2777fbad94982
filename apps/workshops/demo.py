# ruff: noqa: E501  (French demo prose: long sentences read better unbroken)
"""Demo content of the workshops module, built by ``manage.py demo_city`` after the foundation's
and the sortition demo: the « Atelier citoyen sur les mobilités » from mandate to follow-up,
and a second workshop where the panel is writing its opinion (habitante can edit)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from apps.core.models import Phase, Process
from apps.core.richtext import render_rich_text
from apps.followup.models import Commitment, CommitmentUpdate
from apps.sittings import services as sittings
from apps.sittings.models import Attendance
from apps.sortition.selectors import draw_by_slug
from apps.workshops import services
from apps.workshops.models import (
    CitizenOpinion,
    PanelMember,
    Recommendation,
    RecommendationRevision,
    RecommendationVote,
    Workshop,
    opinion_digest,
)

DAY = datetime.timedelta(days=1)
PRESENT = Attendance.Status.PRESENT
DRAW_SLUG = "atelier-mobilites-2026"

MOBILITY_RECOMMENDATIONS = [
    (
        "Des rues scolaires apaisées",
        "Fermer à la circulation automobile, aux heures d'entrée et de sortie, les rues qui desservent les écoles élémentaires, avec une signalétique claire et la présence d'agents les premières semaines.",
    ),
    (
        "Un réseau cyclable continu",
        "Relier les pistes cyclables existantes pour qu'aucun trajet domicile–école ou domicile–travail ne s'interrompe, en priorité entre les quartiers prioritaires et le centre-ville.",
    ),
    (
        "Des bancs tous les 200 mètres",
        "Installer des bancs et des points d'ombre le long des axes piétons principaux, pour que les personnes âgées et les personnes à mobilité réduite puissent s'arrêter.",
    ),
    (
        "Des trottoirs libérés",
        "Faire respecter l'interdiction du stationnement sur les trottoirs et déplacer les trottinettes en libre-service vers des emplacements dédiés.",
    ),
    (
        "Des abris vélos sécurisés dans les quartiers d'habitat social",
        "Proposer aux bailleurs sociaux des abris vélos fermés au pied des immeubles, au même prix que dans le parc privé.",
    ),
    (
        "Une tarification solidaire des transports",
        "Étendre la gratuité du week-end aux trajets de semaine pour les moins de 26 ans et les personnes aux minima sociaux.",
    ),
    (
        "Des navettes fluviales quotidiennes",
        "Créer une ligne de navette fluviale quotidienne entre Trentemoult et la gare, cadencée aux heures de pointe.",
    ),
    (
        "Un comité de suivi citoyen",
        "Réunir deux fois par an les membres du panel qui le souhaitent pour suivre la mise en œuvre des engagements pris en réponse à cet avis.",
    ),
]

FOOD_RECOMMENDATIONS = [
    (
        "Des cantines à 50 % bio et locales",
        "Atteindre 50 % de produits biologiques et locaux dans les cantines scolaires d'ici trois ans.",
    ),
    (
        "Des jardins partagés au pied des immeubles",
        "Ouvrir un jardin partagé dans chaque quartier prioritaire, avec un animateur.",
    ),
    (
        "Un marché de producteurs en soirée",
        "Tester un marché de producteurs en fin de journée pour les personnes qui travaillent.",
    ),
    ("Lutter contre le gaspillage", "Généraliser les dons d'invendus des marchés aux associations d'aide alimentaire."),
]


def _process(
    builder: Any,
    *,
    title: str,
    territory: Any,
    summary: str,
    plan: list[tuple[str, str, int, int]],
    answer_due: datetime.date,
) -> Process:
    process = Process(
        title=title,
        slug=slugify(title)[:200],
        summary=summary,
        description=(
            f"{summary}\n\nSelon la **charte du dialogue citoyen** de Nantes, l'atelier citoyen suit quatre "
            "étapes : un mandat, un avis citoyen, une réponse argumentée point par point, puis un droit de suite."
        ),
        territory=territory,
        participation_level=Process.Level.COCONSTRUCTION,
        rules_open="Ce que le mandat de l'atelier ouvre au panel (voir la page de l'atelier).",
        rules_closed="Ce que le mandat exclut (voir la page de l'atelier).",
        rules_decider="Le conseil municipal, après la réponse argumentée de l'élue.",
        rules_use="Chaque recommandation de l'avis citoyen reçoit une réponse argumentée publique ; les engagements sont suivis.",
        falc_summary=(
            "Des habitants sont tirés au sort ou volontaires. Ils se réunissent plusieurs fois. "
            "Ils écrivent des idées pour la Ville. L'élue répond à chaque idée. On voit ensuite ce que la Ville fait."
        ),
        answer_due=answer_due,
        is_published=True,
    )
    process.description_html = render_rich_text(process.description)
    process.save()
    Phase.objects.bulk_create(
        [
            Phase(
                process=process,
                module="workshops",
                kind=kind,
                title=phase_title,
                starts_at=builder.now + start * DAY,
                ends_at=builder.now + end * DAY,
            )
            for kind, phase_title, start, end in plan
        ]
    )
    return process


def _panel(builder: Any, workshop: Workshop, *, use_draw: bool, volunteers: int) -> list[PanelMember]:
    agent = builder.demo["agent"]
    imported = 0
    if use_draw:
        draw = draw_by_slug(DRAW_SLUG)
        if draw is not None:
            imported = services.panel_import_from_draw(actor=agent, workshop=workshop, draw=draw)
            # The demo panel sits: the people drawn have answered yes.
            workshop.members.filter(status=PanelMember.Status.INVITED, is_alternate=False).update(
                status=PanelMember.Status.CONFIRMED
            )
    if not imported:
        drawn = builder.rng.sample(builder.residents[:100], 12)
        PanelMember.objects.bulk_create(
            [
                PanelMember(
                    workshop=workshop,
                    source=PanelMember.Source.DRAWN,
                    full_name=person.display_name,
                    public_name=services.first_name_only(person.display_name),
                    status=PanelMember.Status.CONFIRMED,
                    is_alternate=index >= 10,
                )
                for index, person in enumerate(drawn)
            ]
        )
    taken = set(workshop.members.filter(user__isnull=False).values_list("user_id", flat=True))
    people = [builder.demo["habitante"], *[p for p in builder.residents[100:] if p.pk not in taken][:volunteers]]
    PanelMember.objects.bulk_create(
        [
            PanelMember(
                workshop=workshop,
                user=person,
                source=PanelMember.Source.VOLUNTEER,
                full_name=person.display_name,
                public_name=services.first_name_only(person.display_name),
                status=PanelMember.Status.CONFIRMED,
            )
            for person in people
            if person.pk not in taken
        ]
    )
    return list(workshop.members.filter(status=PanelMember.Status.CONFIRMED, is_alternate=False))


MOBILITY_TOPICS: list[tuple[str, str, str]] = [
    ("Lancement et lecture du mandat", "Présentation du mandat par l'élue, règles de fonctionnement du panel.", ""),
    (
        "Diagnostic : comment se déplace-t-on à Nantes ?",
        "Chiffres de l'enquête déplacements, témoignages.",
        "Une ingénieure de Nantes Métropole (enquête ménages déplacements).",
    ),
    (
        "Visite de terrain et audition d'experts",
        "Balade urbaine, audition d'une association d'usagers.",
        "Place au vélo, une association de personnes à mobilité réduite.",
    ),
    ("Écriture des recommandations", "Travail en sous-groupes, premières rédactions.", ""),
    ("Adoption de l'avis citoyen", "Relecture, vote recommandation par recommandation.", ""),
]
FOOD_TOPICS: list[tuple[str, str, str]] = [
    ("Lancement et lecture du mandat", "Présentation du mandat par l'élue, règles de fonctionnement du panel.", ""),
    (
        "Diagnostic : comment mange-t-on à Nantes ?",
        "Chiffres de l'observatoire de l'alimentation, restauration scolaire, témoignages.",
        "Une diététicienne de la restauration scolaire, une épicerie solidaire.",
    ),
]


def _sessions(
    builder: Any,
    workshop: Workshop,
    members: list[PanelMember],
    days_ago: list[int],
    topics: list[tuple[str, str, str]] = MOBILITY_TOPICS,
) -> int:
    """Published sessions on the workshop's own subject (``topics``)."""
    created = 0
    for index, ago in enumerate(days_ago):
        title, agenda, experts = topics[index % len(topics)]
        start = timezone.make_aware(datetime.datetime.combine(builder.today - ago * DAY, datetime.time(9, 30)))
        session = sittings.sitting_create(
            body=workshop,
            title=f"Séance {index + 1} : {title}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3, minutes=30),
            place=builder.rng.choice(
                ["Maison des habitants, Malakoff", "Salle du Solilab", "Mairie annexe de Bellevue"]
            ),
            agenda=agenda,
            experts_heard=experts,
            minutes=(
                f"**{len(members)} membres** ont participé à la séance.\n\n- {agenda}\n- Questions du panel et "
                "réponses des services.\n- Prochaine étape annoncée en fin de séance."
            ),
            is_published=True,
        )
        sittings.attendance_record(
            sitting=session,
            member_model=PanelMember,
            statuses={
                m.pk: PRESENT
                for m in members
                if builder.rng.random() < 0.85 or m.user_id == builder.demo["habitante"].pk
            },
        )
        created += 1
    return created


def _recommendations(
    builder: Any, workshop: Workshop, members: list[PanelMember], texts: list[tuple[str, str]]
) -> list[Recommendation]:
    writers = [m for m in members if m.user_id] or members
    created: list[Recommendation] = []
    for number, (title, text) in enumerate(texts, start=1):
        draft = text.split(",")[0] + "."
        recommendation = Recommendation.objects.create(
            opinion=workshop.opinion, number=number, title=title, text=text, revision=2
        )
        first, second = builder.rng.sample(writers, 2) if len(writers) > 1 else (writers[0], writers[0])
        RecommendationRevision.objects.bulk_create(
            [
                RecommendationRevision(
                    recommendation=recommendation,
                    number=1,
                    title=title,
                    text=draft,
                    author_id=first.user_id,
                    author_label=first.public_name,
                ),
                RecommendationRevision(
                    recommendation=recommendation,
                    number=2,
                    title=title,
                    text=text,
                    author_id=second.user_id,
                    author_label=second.public_name,
                ),
            ]
        )
        created.append(recommendation)
    return created


def _votes(builder: Any, recommendations: list[Recommendation], members: list[PanelMember]) -> None:
    choices = ["for"] * 8 + ["against", "abstain"]
    RecommendationVote.objects.bulk_create(
        [
            RecommendationVote(recommendation=r, member=m, choice=builder.rng.choice(choices))
            for r in recommendations
            for m in members
        ]
    )


def build(builder: Any) -> dict[str, int]:
    elue = builder.demo["elue"]
    agent = builder.demo["agent"]
    services_by_name = builder.services
    service_list = list(services_by_name.values())

    # --- 1. Mobilités: from mandate to follow-up ---------------------------------------------
    process = _process(
        builder,
        title="Atelier citoyen sur les mobilités",
        territory=builder.city,
        summary="Un panel de Nantaises et de Nantais, tirés au sort et volontaires, formule un avis sur les déplacements du quotidien.",
        plan=[
            ("mandate", "Mandat et constitution du panel", -220, -180),
            ("sessions", "Séances de travail", -180, -60),
            ("opinion", "Rédaction et adoption de l'avis", -60, -40),
            ("answer", "Réponse argumentée", -40, -5),
            ("followup", "Droit de suite", -5, 500),
        ],
        answer_due=builder.today - 5 * DAY,
    )
    workshop = Workshop.objects.create(
        process=process,
        title="Atelier citoyen sur les mobilités",
        slug=DRAW_SLUG.replace("-2026", ""),
        question="Comment rendre les déplacements du quotidien plus sûrs, plus accessibles et moins polluants, pour toutes et tous, dans tous les quartiers ?",
        open_scope="L'aménagement des rues et des places, le partage de la voirie, le stationnement, les services de vélos et de navettes, l'information des usagers.",
        closed_scope="Le tracé des nouvelles lignes de tramway (déjà décidé par la Métropole) et les tarifs fixés par l'autorité organisatrice des mobilités.",
        experts="Nantes Métropole (direction des mobilités), Place au vélo, l'association des paralysés de France, une chercheuse en sociologie urbaine.",
        resources="Enquête ménages déplacements 2025, plan de mobilité, diagnostic accessibilité.",
        budget_eur=250000,
        calendar="Cinq séances de trois heures, un samedi matin par mois, puis la réponse de l'élue en conseil municipal.",
        answerer=elue,
        answer_due=builder.today - 5 * DAY,
        mandate_published_at=builder.now - 200 * DAY,
        created_by=agent,
    )
    CitizenOpinion.objects.create(workshop=workshop)
    services.mandate_update(
        actor=agent,
        workshop=workshop,
        note="Une séance supplémentaire a été ajoutée à la demande du panel ; le calendrier est modifié.",
        calendar="Cinq séances de trois heures, un samedi matin par mois (dont une visite de terrain), puis la réponse de l'élue en conseil municipal.",
    )
    members = _panel(builder, workshop, use_draw=True, volunteers=4)
    sessions = _sessions(builder, workshop, members, [170, 140, 110, 80, 50])
    recommendations = _recommendations(builder, workshop, members, MOBILITY_RECOMMENDATIONS)
    _votes(builder, recommendations, members)
    opinion = workshop.opinion
    for recommendation in recommendations:
        recommendation.published_text = recommendation.text
        recommendation.save(update_fields=["published_text"])
    opinion.state = CitizenOpinion.State.PUBLISHED
    opinion.vote_opened_at = builder.now - 52 * DAY
    opinion.vote_closed_at = builder.now - 50 * DAY
    opinion.published_at = builder.now - 45 * DAY
    opinion.published_sha256 = opinion_digest(recommendations)
    opinion.save()

    decisions = ["accepted", "accepted", "accepted", "accepted", "adapted", "accepted", "not_retained"]
    reasons = {
        "accepted": "La Ville retient cette recommandation et s'engage sur un calendrier précis, suivi publiquement.",
        "adapted": "La Ville retient l'intention mais l'adapte : un test sur deux quartiers précédera toute généralisation.",
        "not_retained": "Cette recommandation ne relève pas de la compétence de la Ville : la tarification dépend de l'autorité organisatrice des mobilités, à qui l'avis a été transmis.",
    }
    commitments = 0
    for index, (recommendation, status) in enumerate(zip(recommendations, decisions, strict=False)):
        rows = []
        if status != "not_retained":
            rows.append(
                {
                    "title": recommendation.title,
                    "service": service_list[index % len(service_list)],
                    "planned_date": builder.today + (index * 45 - 20) * DAY,
                }
            )
        draft = services.recommendation_answer(
            actor=agent if index % 2 else elue,
            recommendation=recommendation,
            status=status,
            reasons=reasons[status],
            commitments=rows,
        )
        services.recommendation_answer_sign(signer=elue, answer=draft)
        commitments += len(rows)
    # Progress of the commitments under way (the last recommendation stays unanswered: overdue).
    for index, commitment in enumerate(Commitment.objects.filter(process=process).order_by("pk")):
        progress, state = [
            (100, "done"),
            (60, "in_progress"),
            (30, "in_progress"),
            (10, "in_progress"),
            (0, "planned"),
            (0, "planned"),
        ][index % 6]
        if progress:
            CommitmentUpdate.objects.create(
                commitment=commitment,
                date=builder.today - (10 + index) * DAY,
                body="Point d'étape présenté au comité de suivi citoyen.",
                progress=progress,
                state=state,
                author=agent,
            )
            Commitment.objects.filter(pk=commitment.pk).update(progress=progress, state=state)

    # --- 2. A workshop whose panel is writing its opinion --------------------------------------
    food_process = _process(
        builder,
        title="Atelier citoyen sur l'alimentation durable",
        territory=builder.quartiers[3 % len(builder.quartiers)],
        summary="Le panel de l'atelier rédige son avis sur l'alimentation durable et accessible à toutes et tous.",
        plan=[
            ("mandate", "Mandat et constitution du panel", -120, -90),
            ("sessions", "Séances de travail", -90, -10),
            ("opinion", "Rédaction et adoption de l'avis", -10, 25),
            ("answer", "Réponse argumentée", 25, 70),
            ("followup", "Droit de suite", 70, 500),
        ],
        answer_due=builder.today + 70 * DAY,
    )
    food = Workshop.objects.create(
        process=food_process,
        title="Atelier citoyen sur l'alimentation durable",
        slug="atelier-alimentation-durable",
        question="Comment permettre à chaque habitante et chaque habitant du quartier de bien se nourrir, à un prix juste, avec des produits locaux ?",
        open_scope="Les cantines scolaires, les jardins partagés, les marchés, la lutte contre le gaspillage.",
        closed_scope="Les contrats de restauration collective en cours jusqu'à leur échéance.",
        experts="Direction de l'éducation, Chambre d'agriculture, une épicerie solidaire.",
        budget_eur=80000,
        calendar="Quatre séances, puis l'adoption de l'avis.",
        answerer=elue,
        answer_due=builder.today + 70 * DAY,
        mandate_published_at=builder.now - 115 * DAY,
        created_by=agent,
    )
    CitizenOpinion.objects.create(workshop=food)
    food_members = _panel(builder, food, use_draw=False, volunteers=3)
    sessions += _sessions(builder, food, food_members, [80, 50], FOOD_TOPICS)
    _recommendations(builder, food, food_members, FOOD_RECOMMENDATIONS)
    # --- 3. A participatory evaluation of a contrat de ville action, with its cahier ---------
    from apps.workshops.evaluation_demo import build_evaluation

    evaluation_counts = build_evaluation(builder)
    return {
        **evaluation_counts,
        "ateliers citoyens": 2,
        "membres de panels": PanelMember.objects.count(),
        "séances d'atelier": sessions,
        "recommandations": Recommendation.objects.count(),
        "engagements d'ateliers": commitments,
    }
