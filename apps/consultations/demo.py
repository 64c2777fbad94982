"""The consultations part of the demo city: one open conversation on the city centre's streets,
with 300 generated participants voting in 3 planted opinion groups (the synthetic generator of
the opinion engine) and its map precomputed; and a questionnaire answered online, on paper and
at a multi-site session across three quartiers (``questionnaires.demo``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from apps.consultations.mapping import store_map
from apps.consultations.models import Conversation, Statement, Vote
from apps.consultations.opinion.synthetic import planted_conversation
from apps.consultations.questionnaires import demo as questionnaire_demo
from apps.core.models import Phase, Process
from apps.core.richtext import render_rich_text

DAY = datetime.timedelta(days=1)
EXTRA_PARTICIPANTS = 150
STATEMENTS = [
    "Le centre-ville devrait être entièrement piéton le week-end.",
    "Il faut garder des places de stationnement près des commerces.",
    "Les pistes cyclables doivent être séparées des voitures partout.",
    "Les bus devraient être gratuits pour les moins de 25 ans.",
    "Il faut plus de bancs et d'ombre dans les rues commerçantes.",
    "Les livraisons devraient se faire uniquement le matin.",
    "La vitesse devrait être limitée à 30 km/h dans tout le centre.",
    "Les trottinettes en libre-service n'ont pas leur place sur les trottoirs.",
    "Il faut planter des arbres même si cela supprime des places de parking.",
    "Les personnes âgées doivent pouvoir circuler en voiture jusqu'au centre.",
    "Les rues devraient être fermées aux voitures devant les écoles aux heures d'entrée.",
    "Le tramway devrait circuler plus tard le soir.",
    "Les parkings relais en périphérie doivent être agrandis.",
    "Les terrasses de café prennent trop de place sur les trottoirs.",
    "Chaque quartier devrait avoir une rue aux enfants le dimanche.",
    "Les travaux de voirie doivent être mieux annoncés aux riverains.",
    "Il faut des toilettes publiques gratuites dans le centre.",
    "Les vélos cargos devraient être subventionnés pour les familles.",
    "La ville devrait limiter les camions de plus de 3,5 tonnes.",
    "Les marchés devraient avoir lieu aussi en soirée.",
    "Il faut davantage d'éclairage la nuit sur les cheminements piétons.",
    "Le stationnement résidentiel devrait devenir payant.",
    "Les espaces verts devraient remplacer une partie des parkings de surface.",
    "Les panneaux publicitaires devraient être retirés des rues.",
]


def build(builder: Any) -> dict[str, int]:
    process = Process.objects.create(
        title="Conversation : le centre-ville de demain",
        slug=slugify("conversation centre-ville de demain"),
        summary=(
            "Donnez votre avis sur les idées des autres pour les rues du centre, "
            "et découvrez ce qui rassemble et ce qui divise."
        ),
        description="Une conversation ouverte : chacun·e vote sur des affirmations courtes et peut en proposer.",
        territory=builder.city,
        participation_level=Process.Level.CONSULTATION,
        is_published=True,
        answer_due=builder.today + 60 * DAY,
        rules_open="Le partage des rues, des places et des trottoirs du centre-ville.",
        rules_closed="Le tracé du tramway, déjà décidé par la Métropole.",
        rules_decider="Le conseil municipal, à partir de la carte des opinions et des affirmations qui rassemblent.",
        rules_use="Les affirmations qui rassemblent tous les groupes nourrissent le plan de circulation.",
        falc_summary=(
            "Vous lisez des phrases sur les rues du centre. Vous dites si vous êtes d'accord ou pas. "
            "Vous pouvez écrire vos propres phrases. Une carte montre ce que les gens pensent."
        ),
    )
    process.description_html = render_rich_text(process.description)
    process.save(update_fields=["description_html"])
    Phase.objects.create(
        process=process,
        module="consultations",
        kind="conversation",
        title="Conversation ouverte",
        starts_at=builder.now - 20 * DAY,
        ends_at=builder.now + 40 * DAY,
    )
    conversation = Conversation.objects.create(
        process=process,
        question="Comment partager les rues du centre-ville ?",
        description="Votez sur les affirmations une à une, proposez les vôtres, puis regardez la carte des opinions.",
    )
    statements = Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation,
                text=text,
                author=builder.residents[index] if index % 3 else None,
                created_at=builder.now - (20 - index / 2) * DAY,
            )
            for index, text in enumerate(STATEMENTS)
        ]
    )
    participants = list(builder.residents) + _extra_participants(builder)
    planted = planted_conversation(
        participants=len(participants), statements=len(statements), votes=len(participants) * 9, seed=13
    )
    matrix = planted.matrix
    Vote.objects.bulk_create(
        [
            Vote(
                statement=statements[int(matrix.statement_ids[c])],
                participant=participants[int(matrix.participant_ids[r])],
                value=int(v),
                created_at=builder.now - float(builder.rng.uniform(0, 19)) * DAY,
            )
            for r, c, v in zip(matrix.rows, matrix.cols, matrix.values, strict=True)
        ]
    )
    store_map(conversation.pk)
    counts = {"conversations": 1, "votes de conversation": matrix.n_votes}
    counts.update(questionnaire_demo.build(builder))
    return counts


def _extra_participants(builder: Any) -> list[Any]:
    user_model = get_user_model()
    unusable = make_password(None)
    emails = [f"participant{index:03d}@demo.archipel.fr" for index in range(EXTRA_PARTICIPANTS)]
    user_model.objects.bulk_create(
        [
            user_model(
                email=email,
                username=email,
                display_name=f"Participant·e {index + 1}",
                password=unusable,
                home_territory=builder.rng.choice(builder.quartiers),
                verification=user_model.Verification.EMAIL,
            )
            for index, email in enumerate(emails)
        ]
    )
    by_email = {u.email: u for u in user_model.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]
