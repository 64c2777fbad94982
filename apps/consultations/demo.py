"""The consultations part of the demo city: one open conversation on the place du marché of the
Dervallières - Zola quartier, with about 2,000 participants voting in three planted opinion groups
(realistic French statements, each with the groups' stances), a moderation queue (statements
waiting before publication, one hidden with its public reason), its map precomputed and a
published synthesis of the statements; and a questionnaire answered online, on paper and at a
multi-site session across three quartiers (``questionnaires.demo``).

Everything is written with ``bulk_create`` (accounts, statements, votes): the demo stays quick."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from apps.consultations.demo_statements import HIDDEN, PENDING, STATEMENTS
from apps.consultations.mapping import store_map
from apps.consultations.models import Conversation, Statement, Vote
from apps.consultations.questionnaires import demo as questionnaire_demo
from apps.consultations.synthesis.models import Synthesis
from apps.consultations.synthesis.services import (
    synthesis_compute,
    synthesis_edit,
    synthesis_publish,
    theme_edit,
    themes_merge,
)
from apps.core.models import Phase, Process
from apps.core.richtext import render_rich_text

DAY = datetime.timedelta(days=1)
# The conversation's size: about 2,000 participants in the full demo (a large quartier debate),
# fewer in the small one the tests build.
PARTICIPANTS = {"full": 2000, "small": 400}
FIDELITY = 0.9  # how often a participant votes as their group leans
PASS_RATE = 0.08
GROUP_SHARES = (0.45, 0.3, 0.25)


def build(builder: Any) -> dict[str, int]:
    zola = next((q for q in builder.quartiers if q.name == "Dervallières - Zola"), builder.quartiers[0])
    process = _process(builder, zola)
    conversation = Conversation.objects.create(
        process=process,
        question="Que faire de la place du marché de Zola ?",
        description="Votez sur les affirmations une à une, proposez les vôtres, puis regardez la carte des opinions.",
        moderation=Conversation.Moderation.BEFORE,
    )
    participants = list(builder.residents) + _extra_participants(builder, zola)
    statements = _statements(builder, conversation, participants)
    n_votes = _votes(builder, statements, participants)
    store_map(conversation.pk)
    synthesis = _published_synthesis(builder, process)
    counts = {
        "conversations": 1,
        "participants à la conversation": len(participants),
        "votes de conversation": n_votes,
        "thèmes de synthèse": synthesis.themes.count(),
    }
    counts.update(questionnaire_demo.build(builder))
    return counts


def _process(builder: Any, zola: Any) -> Process:
    process = Process.objects.create(
        title="Conversation : la place du marché de Zola",
        slug=slugify("conversation place du marche de zola"),
        summary=(
            "Piétonne, verte, commerçante ? Donnez votre avis sur les idées des autres pour la place "
            "du marché, et découvrez ce qui rassemble et ce qui divise le quartier."
        ),
        description="Une conversation ouverte : chacun·e vote sur des affirmations courtes et peut en proposer.",
        territory=zola,
        participation_level=Process.Level.CONSULTATION,
        is_published=True,
        answer_due=builder.today + 60 * DAY,
        rules_open="L'aménagement de la place du marché, ses usages, ses horaires.",
        rules_closed="Le tracé du tramway, déjà décidé par la Métropole.",
        rules_decider="Le conseil municipal, à partir de la carte des opinions et des affirmations qui rassemblent.",
        rules_use="Les affirmations qui rassemblent tous les groupes nourrissent le programme d'aménagement.",
        falc_summary=(
            "Vous lisez des phrases sur la place du marché. Vous dites si vous êtes d'accord ou pas. "
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
    return process


def _statements(builder: Any, conversation: Conversation, participants: list[Any]) -> list[Statement]:
    """The published statements (two in three written by residents, read by the moderation), then
    the ones waiting for moderation and one hidden with its public reason."""
    rows = [
        Statement(
            conversation=conversation,
            text=text,
            author=participants[index * 7] if index % 3 else None,
            created_at=builder.now - (20 - index / 2) * DAY,
            moderated_at=builder.now - (19 - index / 2) * DAY,
        )
        for index, (_topic, text, _stances) in enumerate(STATEMENTS)
    ]
    rows += [
        Statement(
            conversation=conversation,
            text=text,
            author=participants[11 + index],
            status=Statement.Status.PENDING,
            created_at=builder.now - (index + 1) * DAY / 3,
        )
        for index, text in enumerate(PENDING)
    ]
    rows.append(
        Statement(
            conversation=conversation,
            text=HIDDEN[0],
            author=participants[5],
            status=Statement.Status.HIDDEN,
            moderation_reason=HIDDEN[1],
            created_at=builder.now - 3 * DAY,
            moderated_at=builder.now - 2 * DAY,
        )
    )
    return Statement.objects.bulk_create(rows)[: len(STATEMENTS)]


def _votes(builder: Any, statements: list[Statement], participants: list[Any]) -> int:
    """Each participant belongs to a planted group and votes on a few to all statements (more
    votes on the first ones, as people see them first), as their group leans 90 % of the time."""
    rng = np.random.default_rng(builder.rng.randrange(2**32))
    stances = np.array([s for _topic, _text, s in STATEMENTS]).T  # groups × statements
    n, m = len(participants), len(statements)
    groups = rng.choice(len(GROUP_SHARES), size=n, p=GROUP_SHARES)
    counts = np.clip(np.round(rng.lognormal(2.6, 0.6, size=n)), 3, m).astype(int)
    popularity = 1.0 / np.arange(1, m + 1) ** 0.6
    popularity /= popularity.sum()
    days = rng.uniform(0, 19, size=int(counts.sum()))
    rows: list[Vote] = []
    for person, group, count in zip(participants, groups, counts, strict=True):
        chosen = rng.choice(m, size=count, replace=False, p=popularity)
        leaning = stances[group, chosen]
        leaning = np.where(leaning == 0, rng.choice([-1, 1], size=count), leaning)
        values = np.where(rng.random(count) < FIDELITY, leaning, -leaning)
        values = np.where(rng.random(count) < PASS_RATE, 0, values)
        for column, value in zip(chosen, values, strict=True):
            rows.append(
                Vote(
                    statement=statements[int(column)],
                    participant=person,
                    value=int(value),
                    created_at=builder.now - float(days[len(rows)]) * DAY,
                )
            )
    Vote.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _published_synthesis(builder: Any, process: Process) -> Synthesis:
    """The statements' synthesis, computed as the task would, then reviewed as an agent would:
    themes whose statements are mostly on one topic are merged and titled after it, then published."""
    agent = builder.demo["agent"]
    synthesis = Synthesis.objects.create(
        process=process, title="Synthèse des affirmations sur la place du marché", requested_themes=6
    )
    synthesis = synthesis_compute(synthesis.pk)
    topic_of = {text: topic for topic, text, _stances in STATEMENTS}
    by_topic: dict[str, Any] = {}
    for theme in list(synthesis.themes.prefetch_related("citations__statement")):
        topics = Counter(topic_of.get(c.statement.text, "") for c in theme.citations.all() if c.statement)
        main = topics.most_common(1)[0][0] if topics else ""
        if main in by_topic:
            themes_merge(agent=agent, into=by_topic[main], merged=theme)
            continue
        by_topic[main] = theme
        theme_edit(agent=agent, theme=theme, title=TOPIC_TITLES.get(main, theme.title), summary="")
    synthesis_edit(
        agent=agent,
        synthesis=synthesis,
        title=synthesis.title,
        introduction=(
            "Les affirmations proposées dans la conversation, regroupées par thème. "
            "Chaque thème cite les affirmations qu'il résume."
        ),
    )
    return synthesis_publish(agent=agent, synthesis=synthesis)


TOPIC_TITLES = {
    "circulation": "Voitures, stationnement et livraisons",
    "vélo": "Le vélo sur et autour de la place",
    "verdure": "Des arbres, de l'ombre et de la verdure",
    "commerces": "Le marché et les commerces",
    "tranquillité": "Tranquillité, propreté et sécurité",
}


def _extra_participants(builder: Any, zola: Any) -> list[Any]:
    """Accounts of the conversation's participants beyond the demo's residents: most from the
    quartier, some from the rest of the city. One unusable password hash for all."""
    user_model = get_user_model()
    unusable = make_password(None)
    total = PARTICIPANTS.get(builder.size, PARTICIPANTS["small"])
    emails = [f"participant{index:04d}@demo.archipel.fr" for index in range(max(0, total - len(builder.residents)))]
    user_model.objects.bulk_create(
        [
            user_model(
                email=email,
                username=email,
                display_name=f"Participant·e {index + 1}",
                password=unusable,
                home_territory=zola if index % 4 else builder.rng.choice(builder.quartiers),
                verification=user_model.Verification.EMAIL,
            )
            for index, email in enumerate(emails)
        ],
        batch_size=2000,
    )
    by_email = {u.email: u for u in user_model.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]
