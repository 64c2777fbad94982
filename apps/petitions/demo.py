"""Demo content of petitions, built by ``manage.py demo_city`` after the foundation's.

The rules of the game per level; three petitions (one collecting, one past its threshold whose
answer opened an agora éphémère, one refused at moderation with its public reason) and an
auto-saisine whose answer opened a draft process; the agora, closed, with its stakeholders, two
sittings with minutes, a shared diagnosis and an action plan now followed up as commitments.
Written directly with the models (no audit entries: nobody acted, the city was built).
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.contrib.contenttypes.models import ContentType

from apps.answers.models import Answer
from apps.core.models import Process, Territory
from apps.followup.models import Commitment
from apps.petitions.answering import draft_process
from apps.petitions.models import (
    ActionItem,
    Agora,
    CommitteeMember,
    Kind,
    Petition,
    PetitionRule,
    Route,
    Signature,
    Stakeholder,
)
from apps.sittings.models import Sitting


def _host(builder: Any) -> Process:
    return Process.objects.create(
        title="Droit d'interpellation : pétitions et agoras éphémères",
        slug="droit-interpellation",
        summary="Les réponses de la Ville aux pétitions et le suivi des plans d'action des agoras éphémères.",
        description=(
            "Au-delà du seuil de signatures, la Ville répond à chaque pétition par une réponse argumentée "
            "et choisit une suite. Les engagements pris en agora éphémère sont suivis ici."
        ),
        falc_summary="Vous pouvez signer une pétition. Si assez de personnes signent, la Ville doit répondre.",
        territory=builder.city,
        rules_open="Tout sujet d'intérêt local relevant des compétences de la Ville.",
        rules_closed="Les sujets relevant de l'État ou de la vie privée des personnes.",
        rules_decider="Le maire ou l'élue au dialogue citoyen, par une réponse argumentée.",
        rules_use="Au-delà du seuil, la Ville répond et choisit une suite : instance, agora, atelier ou démarche.",
        answer_due=builder.today + datetime.timedelta(days=365),
        is_published=True,
    )


def _rules(host: Process) -> None:
    rows = [
        (Kind.PETITION, Territory.Kind.CITY, 1500, "verified", 120, 60),
        (Kind.PETITION, Territory.Kind.QUARTIER, 150, "email", 90, 45),
        (Kind.PETITION, Territory.Kind.MICRO, 50, "email", 60, 30),
        (Kind.SAISINE, Territory.Kind.CITY, 1000, "verified", 120, 60),
        (Kind.SAISINE, Territory.Kind.QUARTIER, 100, "email", 90, 45),
    ]
    PetitionRule.objects.bulk_create(
        [
            PetitionRule(
                kind=kind, level=level, threshold=threshold, verification=verification, duration_days=days,
                answer_days=answer_days, process=host,
            )
            for kind, level, threshold, verification, days, answer_days in rows
        ]
    )  # fmt: skip


def _petition(builder: Any, host: Process, author: Any, quartier: Territory, **values: Any) -> Petition:
    rule = PetitionRule.objects.get(kind=values.get("kind", Kind.PETITION), level=quartier.kind)
    published = builder.now - datetime.timedelta(days=values.pop("age_days"))
    petition = Petition.objects.create(
        territory=quartier,
        author=author,
        process=host,
        threshold=rule.threshold,
        verification=rule.verification,
        duration_days=rule.duration_days,
        answer_days=rule.answer_days,
        published_at=published,
        closes_at=published + datetime.timedelta(days=rule.duration_days),
        committee_token=secrets.token_urlsafe(24),
        **values,
    )
    CommitteeMember.objects.create(
        petition=petition, user=author, public_name=author.display_name, agrees_to_be_named=True
    )
    return petition


def _sign(
    petition: Petition, people: list[Any], paper: int, quartiers: list[Territory], builder: Any, *, reach: bool = False
) -> None:
    if reach:  # the small demo city has fewer residents: paper sheets make up the rest
        paper = max(paper, petition.threshold - len(people))
    start = petition.published_at.date() if petition.published_at else builder.today
    rows = [
        Signature(
            petition=petition,
            user=person,
            person_key=f"u:{person.pk}",
            channel=Signature.Channel.ONLINE,
            territory_id=person.home_territory_id,
            signed_on=min(start + datetime.timedelta(days=builder.rng.randint(0, 20)), builder.today),
        )
        for person in people
    ]
    rows += [
        Signature(
            petition=petition,
            person_key=f"p:demo-{petition.pk}-{index}",
            channel=Signature.Channel.PAPER,
            territory=builder.rng.choice(quartiers),
            signed_on=min(start + datetime.timedelta(days=builder.rng.randint(0, 20)), builder.today),
        )
        for index in range(paper)
    ]
    Signature.objects.bulk_create(rows)
    petition.signature_count = len(rows)
    if len(rows) >= petition.threshold:
        petition.reached_at = petition.published_at + datetime.timedelta(days=20) if petition.published_at else None
        petition.answer_due = (petition.reached_at or builder.now).date() + datetime.timedelta(
            days=petition.answer_days
        )
    petition.save()


def _answer(builder: Any, petition: Petition, route: str, body: str) -> None:
    elue = builder.demo["elue"]
    Answer.objects.create(
        source_type=ContentType.objects.get_for_model(Petition),
        source_id=petition.pk,
        process=petition.process,
        status=route,
        body=body,
        state=Answer.State.PUBLISHED,
        author=builder.demo["agent"],
        signer=elue,
        signed_by=f"{elue.display_name}, élu·e — {builder.city.name}",
        signed_at=builder.now - datetime.timedelta(days=30),
        created_at=builder.now - datetime.timedelta(days=30),
    )
    petition.route = route
    petition.save(update_fields=["route"])


def _agora(builder: Any, petition: Petition, host: Process) -> tuple[Agora, int]:
    closed_on = builder.today - datetime.timedelta(days=3)
    agora = Agora.objects.create(
        title="Agora éphémère : la traversée de l'école Aimé-Césaire",
        problem=petition.body,
        territory=petition.territory,
        petition=petition,
        process=host,
        diagnosis=(
            "Les voitures passent vite devant l'école aux heures d'entrée ; le passage piéton est mal "
            "éclairé l'hiver ; les parents et les riverains ne se parlaient plus. **Tous partagent** "
            "l'objectif d'une traversée sûre sans reporter le trafic sur la rue voisine."
        ),
        report=(
            "Deux séances ont réuni parents, riverains, l'association de quartier, la direction des "
            "déplacements et l'élue de quartier. Essai d'une rue aux écoles pendant un mois : "
            "adopté. Le plan d'action ci-dessous est suivi publiquement."
        ),
        state=Agora.State.CLOSED,
        closed_on=closed_on,
        is_published=True,
    )
    Stakeholder.objects.bulk_create(
        [
            Stakeholder(agora=agora, kind=Stakeholder.Kind.RESIDENT, organisation="Parents d'élèves de l'école"),
            Stakeholder(agora=agora, kind=Stakeholder.Kind.RESIDENT, organisation="Riverains de la rue"),
            Stakeholder(agora=agora, kind=Stakeholder.Kind.ASSOCIATION, organisation="Association de quartier"),
            Stakeholder(agora=agora, kind=Stakeholder.Kind.SERVICE, organisation="Direction des déplacements"),
            Stakeholder(
                agora=agora,
                kind=Stakeholder.Kind.ELU,
                organisation="Élue de quartier",
                contact_name="Marie, élue au dialogue citoyen",
                name_is_public=True,
            ),
        ]
    )
    for index, (title, minutes) in enumerate(
        [
            ("Séance 1 : partager le diagnostic", "Chacun a décrit la situation ; relevé des vitesses présenté."),
            ("Séance 2 : choisir les actions", "Trois actions retenues à l'unanimité des présents."),
        ]
    ):
        starts = builder.now - datetime.timedelta(days=40 - 14 * index)
        Sitting.objects.create(
            body=agora,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="Maison de quartier",
            agenda="1. Tour de table\n2. Diagnostic\n3. Pistes d'action",
            minutes=minutes,
            is_published=True,
        )
    services = list(builder.services.values())
    actions = [
        ("Rue aux écoles à l'essai un mois", 30),
        ("Éclairage renforcé du passage piéton", 60),
        ("Bilan public de l'essai avec les riverains", 90),
    ]
    for title, days in actions:
        item = ActionItem.objects.create(
            agora=agora,
            title=title,
            service=services[0] if services else None,
            planned_date=builder.today + datetime.timedelta(days=days),
        )
        item.commitment = Commitment.objects.create(
            process=host,
            territory=agora.territory,
            title=title,
            service=item.service,
            planned_date=item.planned_date,
            made_with_residents=True,
            source=item,
        )
        item.save(update_fields=["commitment"])
    return agora, len(actions)


def build(builder: Any) -> dict[str, int]:
    host = _host(builder)
    _rules(host)
    quartiers = list(builder.quartiers)
    residents = list(builder.residents)
    habitante, voisin = builder.demo["habitante"], builder.demo["voisin"]
    collecting = _petition(
        builder,
        host,
        habitante,
        quartiers[0],
        age_days=12,
        title="Des bancs et de l'ombre sur la place du marché",
        body=(
            "Les personnes âgées et les familles ne peuvent plus s'asseoir sur la place du marché depuis "
            "les travaux. Nous demandons des bancs et des arbres pour faire de l'ombre l'été."
        ),
        recipient="Le maire",
        state=Petition.State.COLLECTING,
    )
    _sign(collecting, residents[:40], 12, quartiers, builder)
    answered = _petition(
        builder,
        host,
        voisin,
        quartiers[1 % len(quartiers)],
        age_days=80,
        title="Sécuriser la traversée devant l'école Aimé-Césaire",
        body=(
            "Chaque matin, les enfants traversent une rue où les voitures roulent vite. Nous demandons à la "
            "Ville de sécuriser la traversée devant l'école avant la rentrée prochaine."
        ),
        recipient="L'élue de quartier",
        group_name="Collectif des parents de l'école Aimé-Césaire",
        state=Petition.State.COLLECTING,
    )
    _sign(answered, residents[40:170], 35, quartiers, builder, reach=True)
    _answer(
        builder,
        answered,
        Route.AGORA,
        "La Ville partage l'inquiétude des parents. Plutôt qu'une décision prise seule, elle ouvre une "
        "agora éphémère réunissant parents, riverains, association et services pour trouver ensemble "
        "une solution dans les deux mois.",
    )
    agora, actions = _agora(builder, answered, host)
    _petition(
        builder,
        host,
        residents[0] if residents else habitante,
        quartiers[2 % len(quartiers)],
        age_days=20,
        title="Interdire le marché du dimanche aux commerçants étrangers",
        body="Texte refusé à la modération : il vise des personnes en raison de leur origine.",
        recipient="Le maire",
        state=Petition.State.REJECTED,
        rejection_reason=(
            "Refusée : la demande vise des personnes en raison de leur origine, ce que la charte de "
            "participation et la loi interdisent."
        ),
    )
    saisine = _petition(
        builder,
        host,
        habitante,
        quartiers[0],
        age_days=100,
        kind=Kind.SAISINE,
        title="Ouvrir une démarche sur l'avenir de l'ancienne piscine",
        body=(
            "L'ancienne piscine est fermée depuis trois ans. Nous demandons que la Ville ouvre une démarche "
            "participative pour décider avec les habitant·es de son avenir."
        ),
        recipient="Le conseil municipal",
        group_name="Conseil citoyen du quartier",
        state=Petition.State.COLLECTING,
    )
    _sign(saisine, residents[170:290], 10, quartiers, builder, reach=True)
    _answer(
        builder,
        saisine,
        Route.PROCESS,
        "La Ville accepte : une démarche de concertation sur l'avenir de l'ancienne piscine est en "
        "préparation ; ses règles du jeu seront publiées avant son ouverture.",
    )
    saisine.created_process = draft_process(saisine)
    saisine.save(update_fields=["created_process"])
    return {
        "pétitions": Petition.objects.count(),
        "signatures de pétitions": Signature.objects.count(),
        "agoras éphémères": 1 if agora else 0,
        "actions d'agora suivies": actions,
    }
