"""Demo content of the proposals module, built by ``manage.py demo_city`` first among the modules:
fourteen processes in every state (one a draft), hundreds of proposals with supports, threaded
comments, moderation examples and paper entries, the city's answers, commitments and their
dated updates.

Everything is written with ``bulk_create`` so the full demo builds in seconds; derived fields
that ``save()`` would compute (rendered HTML, counters) are filled here. Phase dates are
relative to now, so each process is in the intended state whenever the demo is built.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from apps.answers.models import Answer
from apps.core.demo import DAY, explicit_timestamps
from apps.core.management.commands import _demo_data as data
from apps.core.models import Phase, Process
from apps.core.richtext import render_rich_text
from apps.discussion.models import Comment, Report
from apps.followup.models import Commitment, CommitmentUpdate
from apps.proposals.models import Proposal, Status, Support

# Phase offsets (in days from now) of collect, support, analysis, followup for each state.
PHASE_PLANS: dict[str, list[tuple[str, str, int, int]]] = {
    "upcoming": [
        ("collect", "Dépôt des propositions", 20, 50),
        ("support", "Soutiens", 50, 80),
        ("analysis", "Étude par la Ville", 80, 140),
        ("followup", "Réalisations", 140, 500),
    ],
    "collect": [
        ("collect", "Dépôt des propositions", -20, 25),
        ("support", "Soutiens", 25, 55),
        ("analysis", "Étude par la Ville", 55, 115),
        ("followup", "Réalisations", 115, 480),
    ],
    "support": [
        ("collect", "Dépôt des propositions", -60, -10),
        ("support", "Soutiens", -10, 20),
        ("analysis", "Étude par la Ville", 20, 80),
        ("followup", "Réalisations", 80, 450),
    ],
    "analysis": [
        ("collect", "Dépôt des propositions", -120, -70),
        ("support", "Soutiens", -70, -40),
        ("analysis", "Étude par la Ville", -40, 30),
        ("followup", "Réalisations", 30, 400),
    ],
    "followup": [
        ("collect", "Dépôt des propositions", -400, -340),
        ("support", "Soutiens", -340, -310),
        ("analysis", "Étude par la Ville", -310, -220),
        ("followup", "Réalisations", -220, 300),
    ],
    "closed": [
        ("collect", "Dépôt des propositions", -700, -640),
        ("support", "Soutiens", -640, -610),
        ("analysis", "Étude par la Ville", -610, -520),
        ("followup", "Réalisations", -520, -30),
    ],
}


@dataclass(frozen=True)
class ProcessSpec:
    title: str
    quartier: int | None  # index in data.QUARTIERS; None = city-wide
    state: str
    themes: tuple[str, ...]
    level: str
    summary: str
    rules_open: str
    rules_closed: str
    weight: int = 1
    published: bool = True


PROCESSES: list[ProcessSpec] = [
    ProcessSpec(
        "Nantes apaisée : plus de place pour marcher et pédaler",
        None,
        "collect",
        ("mobilites", "nature-en-ville"),
        Process.Level.CONCERTATION,
        "Où ralentir, où élargir les trottoirs, où garer son vélo ? Proposez les aménagements qui rendraient "
        "vos trajets quotidiens plus sûrs et plus agréables.",
        "Les emplacements des aménagements, leur ordre de priorité, le type de mobilier (arceaux, bancs, plantations).",
        "Le plan de circulation des grands axes métropolitains et le budget global de 2 millions d'euros.",
        weight=3,
    ),
    ProcessSpec(
        "Les bords de Loire à Malakoff",
        4,
        "support",
        ("nature-en-ville", "sport"),
        Process.Level.CONCERTATION,
        "Les rives de la Loire entre le pont Éric-Tabarly et le pré Gauchet vont être réaménagées : soutenez "
        "les propositions qui vous semblent les plus utiles.",
        "Les usages des berges (promenade, sport, jeux, pique-nique), le mobilier, les plantations.",
        "Le tracé de la digue et les contraintes liées aux crues.",
        weight=2,
    ),
    ProcessSpec(
        "Un jardin partagé à la Boissière",
        7,
        "collect",
        ("nature-en-ville", "alimentation"),
        Process.Level.COCONSTRUCTION,
        "Un terrain de 2 000 m² se libère à la Boissière : imaginons ensemble un jardin partagé ouvert à toutes "
        "et tous.",
        "L'organisation du jardin, les cultures, les horaires, les animations.",
        "La taille du terrain et la gestion associative exigée par la convention.",
    ),
    ProcessSpec(
        "Place Mendès-France : imaginer la place de demain",
        1,
        "analysis",
        ("mobilites", "culture"),
        Process.Level.CONCERTATION,
        "Dans le cadre du renouvellement urbain de Bellevue, la place Mendès-France change. Vos propositions "
        "sont en cours d'étude par les services.",
        "L'aménagement de la place, les usages, les animations.",
        "La démolition programmée de la barre Le Lorrain, décidée dans le cadre du NPNRU.",
        weight=2,
    ),
    ProcessSpec(
        "Parc des Dervallières : des usages pour tous les âges",
        2,
        "followup",
        ("nature-en-ville", "sport", "jeunesse"),
        Process.Level.COCONSTRUCTION,
        "Les habitants ont proposé, la Ville a répondu : suivez la réalisation des engagements dans le parc.",
        "Les équipements du parc, les jeux, les espaces de sport et de repos.",
        "Les arbres classés et les allées principales.",
        weight=2,
    ),
    ProcessSpec(
        "Propreté et tri sur l'île de Nantes",
        5,
        "closed",
        ("proprete",),
        Process.Level.CONSULTATION,
        "Une démarche terminée : les propositions ont reçu une réponse et les engagements sont réalisés.",
        "L'emplacement des points de tri, les actions de sensibilisation.",
        "La fréquence de collecte, fixée par Nantes Métropole.",
    ),
    ProcessSpec(
        "Végétaliser les cours d'écoles du centre-ville",
        0,
        "followup",
        ("education", "nature-en-ville"),
        Process.Level.COCONSTRUCTION,
        "Des cours d'école plus fraîches et ouvertes au quartier : les engagements de la Ville sont en cours.",
        "Les plantations, les jeux, l'ouverture de la cour hors temps scolaire.",
        "Les règles de sécurité des établissements scolaires.",
    ),
    ProcessSpec(
        "Sport en accès libre à la Bottière",
        9,
        "upcoming",
        ("sport", "jeunesse"),
        Process.Level.CONSULTATION,
        "Bientôt : proposez des équipements sportifs en accès libre autour de la place de la Bottière.",
        "Le choix des équipements et leur emplacement.",
        "Le budget de 150 000 euros.",
    ),
    ProcessSpec(
        "Les bords de l'Erdre, un espace partagé",
        8,
        "support",
        ("mobilites", "tranquillite-publique"),
        Process.Level.CONCERTATION,
        "Promeneurs, cyclistes, pêcheurs, riverains : comment mieux partager les bords de l'Erdre ?",
        "Les règles de partage, la signalétique, les horaires d'animation.",
        "Le statut du chemin de halage, propriété du Département.",
    ),
    ProcessSpec(
        "Un lieu pour les 15-25 ans au Breil",
        6,
        "analysis",
        ("jeunesse", "culture"),
        Process.Level.COCONSTRUCTION,
        "Les jeunes du Breil ont proposé leur lieu idéal ; la Ville étudie les propositions avec eux.",
        "Le programme du lieu, son fonctionnement, sa gouvernance avec les jeunes.",
        "Le bâtiment, déjà choisi : l'ancienne école Jules-Noël.",
    ),
    ProcessSpec(
        "Alimentation durable à Nantes Sud",
        10,
        "upcoming",
        ("alimentation", "solidarites"),
        Process.Level.CONSULTATION,
        "Bientôt : marchés, circuits courts, cuisine partagée... comment mieux manger à Nantes Sud ?",
        "Les projets à soutenir, les lieux, les partenaires.",
        "Les marchés existants et leurs jours.",
    ),
    ProcessSpec(
        "Rues aux écoles à Saint-Félix",
        3,
        "collect",
        ("education", "mobilites"),
        Process.Level.CONCERTATION,
        "Fermer la rue devant l'école aux heures d'entrée et de sortie : où et comment ?",
        "Les rues concernées, les horaires, les aménagements.",
        "L'accès des secours et des riverains.",
    ),
    ProcessSpec(
        "Éclairage et tranquillité à Malakoff",
        4,
        "closed",
        ("tranquillite-publique", "solidarites"),
        Process.Level.CONSULTATION,
        "Démarche terminée : les habitants ont signalé les lieux à mieux éclairer et la Ville a agi.",
        "Les lieux à traiter en priorité.",
        "Le choix du matériel d'éclairage, fixé par le plan lumière.",
    ),
    ProcessSpec(
        "Fête de quartier 2027 à Nantes Erdre (brouillon)",
        8,
        "upcoming",
        ("culture",),
        Process.Level.INFORMATION,
        "Brouillon en préparation par l'équipe de quartier.",
        "Le programme.",
        "La date.",
        published=False,
    ),
]

SIGNATURES = [
    "Marie, adjointe au maire chargée du dialogue citoyen",
    "L'élue de quartier",
    "La Direction du dialogue citoyen",
]

STATUS_WEIGHTS: dict[str, list[tuple[str, int]]] = {
    "collect": [(Status.RECEIVED, 10)],
    "support": [(Status.RECEIVED, 9), (Status.UNDER_STUDY, 1)],
    "analysis": [(Status.RECEIVED, 3), (Status.UNDER_STUDY, 5), (Status.ACCEPTED, 1), (Status.NOT_RETAINED, 1)],
    "followup": [(Status.ACCEPTED, 4), (Status.PARTLY_ACCEPTED, 2), (Status.NOT_RETAINED, 3), (Status.DONE, 1)],
    "closed": [(Status.ACCEPTED, 1), (Status.PARTLY_ACCEPTED, 1), (Status.NOT_RETAINED, 3), (Status.DONE, 4)],
}
# Number of dated updates a commitment has, by state (done ones have a full history).
STEPS_BY_STATE: dict[str, int] = {"planned": 1, "in_progress": 2}
DECIDED = {Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.NOT_RETAINED, Status.DONE}
COMMITTED = {Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.DONE}


class ProposalsDemo:
    """The proposals' part of the demo, on the demo builder's city, accounts and random draws
    (``rng``, ``now``, ``today``, ``size``, ``city``, ``quartiers``, ``themes``, ``services``,
    ``demo``, ``residents``)."""

    def __init__(self, builder: Any) -> None:
        self.builder = builder
        self.rng = builder.rng
        self.size = builder.size
        self.now: datetime.datetime = builder.now
        self.today: datetime.date = builder.today
        self.city = builder.city
        self.quartiers = builder.quartiers
        self.themes = builder.themes
        self.services = builder.services
        self.demo = builder.demo
        self.residents = builder.residents

    # --- processes ------------------------------------------------------
    def processes(self) -> None:
        self.process_rows: list[tuple[Process, ProcessSpec]] = []
        for spec in PROCESSES:
            territory = self.city if spec.quartier is None else self.quartiers[spec.quartier]
            plan = PHASE_PLANS[spec.state]
            analysis_end = self.now + plan[2][3] * DAY
            description = (
                f"{spec.summary}\n\nCette démarche est portée par l'équipe de quartier avec la Direction du dialogue "
                "citoyen. Elle suit la **charte du dialogue citoyen** de la Ville de Nantes : chaque contribution "
                "est lue, chaque proposition reçoit une réponse argumentée, et les engagements sont suivis "
                "publiquement jusqu'à leur réalisation.\n\n- Des rendez-vous sur place sont organisés pendant la "
                "démarche.\n- Les contributions papier déposées en mairie annexe sont saisies par les agents."
            )
            process = Process(
                title=spec.title,
                slug=slugify(spec.title)[:200],
                summary=spec.summary,
                description=description,
                description_html=render_rich_text(description),
                territory=territory,
                participation_level=spec.level,
                rules_open=spec.rules_open,
                rules_closed=spec.rules_closed,
                rules_decider=(
                    "Le conseil municipal, après avis du conseil de quartier."
                    if spec.quartier is not None
                    else "Le conseil municipal, sur proposition de l'adjointe au dialogue citoyen."
                ),
                rules_use=(
                    "Toutes les propositions sont étudiées par les services. Chacune reçoit une réponse argumentée "
                    "publique ; les propositions retenues deviennent des engagements suivis sur cette plateforme."
                ),
                answer_due=timezone.localtime(analysis_end).date(),
                falc_summary=(
                    f"La Ville de Nantes demande votre avis. {spec.summary.split('.')[0]}. "
                    "Vous pouvez donner vos idées sur ce site ou sur papier à la mairie annexe. "
                    "La Ville lit toutes les idées. La Ville répond à chaque idée."
                ),
                is_published=spec.published,
                created_at=self.now + (plan[0][2] - 30) * DAY,
            )
            self.process_rows.append((process, spec))
        with explicit_timestamps((Process, "created_at")):
            Process.objects.bulk_create([p for p, _ in self.process_rows])
        by_slug = {p.slug: p for p in Process.objects.all()}
        self.process_rows = [(by_slug[p.slug], spec) for p, spec in self.process_rows]
        phases: list[Phase] = []
        through: list[Any] = []
        for process, spec in self.process_rows:
            for kind, title, start, end in PHASE_PLANS[spec.state]:
                phases.append(
                    Phase(
                        process=process,
                        module="proposals",
                        kind=kind,
                        title=title,
                        starts_at=self.now + start * DAY,
                        ends_at=self.now + end * DAY,
                    )
                )
            for theme_slug in spec.themes:
                through.append(Process.themes.through(process_id=process.pk, theme_id=self.themes[theme_slug].pk))
        Phase.objects.bulk_create(phases)
        Process.themes.through.objects.bulk_create(through)

    # --- proposals and their life ---------------------------------------
    def _past(self, moment: datetime.datetime) -> datetime.datetime:
        """Activity derived from an earlier date must not land in the future."""
        return min(moment, self.now - datetime.timedelta(minutes=5))

    def _body(self) -> str:
        rng = self.rng
        return f"{rng.choice(data.PROBLEMS)}\n\n{rng.choice(data.ACTIONS)} {rng.choice(data.BENEFITS)}"

    def proposals(self) -> None:
        rng = self.rng
        total = 600 if self.size == "full" else 80
        started = [(p, s) for p, s in self.process_rows if s.state != "upcoming"]
        weights = sum(s.weight for _, s in started)
        rows: list[Proposal] = []
        self.proposal_state: dict[int, str] = {}
        paper_left = 4
        for process, spec in started:
            count = max(3, total * spec.weight // weights)
            collect_start = self.now + PHASE_PLANS[spec.state][0][2] * DAY
            collect_end = min(self.now, self.now + PHASE_PLANS[spec.state][0][3] * DAY)
            span = max(1.0, (collect_end - collect_start).total_seconds())
            statuses, status_weights = zip(*STATUS_WEIGHTS[spec.state], strict=True)
            for index in range(count):
                quartier_index = spec.quartier if spec.quartier is not None else rng.randrange(len(self.quartiers))
                quartier = data.QUARTIERS[quartier_index]
                theme_slug = rng.choice(spec.themes if rng.random() < 0.8 else list(data.TITLES))
                place = rng.choice(quartier["places"])
                title = rng.choice(data.TITLES[theme_slug]).replace(" {lieu}", f", {place}")
                body = self._body()
                status = rng.choices(statuses, weights=status_weights)[0]
                lat, lon = quartier["centre"]
                located = rng.random() < 0.75
                is_paper = paper_left > 0 and index == 1 and spec.state != "collect"
                if is_paper:
                    paper_left -= 1
                author = None if is_paper else (self.demo["habitante"] if index == 0 else rng.choice(self.residents))
                withdrawn = status == Status.RECEIVED and author is not None and rng.random() < 0.03
                created = self._past(collect_start + datetime.timedelta(seconds=rng.random() * span))
                rows.append(
                    Proposal(
                        process=process,
                        author=author,
                        title=title[:150],
                        body=body,
                        body_html=render_rich_text(body),
                        theme=self.themes[theme_slug],
                        territory=self.quartiers[quartier_index],
                        # The place named in the title, and a marker close enough to the quartier's
                        # centre (about 300 m) never to fall in a neighbouring quartier.
                        address=place if located else "",
                        latitude=Decimal(f"{lat + rng.uniform(-0.002, 0.002):.6f}") if located else None,
                        longitude=Decimal(f"{lon + rng.uniform(-0.003, 0.003):.6f}") if located else None,
                        status=status,
                        is_paper=is_paper,
                        paper_author_name=rng.choice(data.PAPER_AUTHORS) if is_paper else "",
                        entered_by=self.demo["agent"] if is_paper else None,
                        assigned_service=(
                            self.services[data.THEME_SERVICE[theme_slug]] if status != Status.RECEIVED else None
                        ),
                        is_withdrawn=withdrawn,
                        withdrawn_at=created + DAY if withdrawn else None,
                        created_at=created,
                    )
                )
        with explicit_timestamps((Proposal, "created_at")):
            Proposal.objects.bulk_create(rows, batch_size=500)
        self.proposals_list = list(
            Proposal.objects.select_related("process", "assigned_service", "territory").order_by("pk")
        )
        self.spec_of = {p.pk: s for p, s in self.process_rows}

    def supports_and_comments(self) -> None:
        rng = self.rng
        ptype = ContentType.objects.get_for_model(Proposal)
        of_proposals = Comment.objects.filter(target_type=ptype)
        supports: list[Support] = []
        comments_top: list[Comment] = []
        for proposal in self.proposals_list:
            if proposal.is_withdrawn:
                continue
            # A few popular proposals, a long tail of modest ones.
            count = min(len(self.residents), int(rng.paretovariate(1.2) * 3) - 2)
            supporters = rng.sample(self.residents, max(0, count))
            if proposal.pk % 3 == 0:
                supporters.append(self.demo["voisin"])
            for user in supporters:
                if user.pk != proposal.author_id:
                    supports.append(
                        Support(proposal=proposal, user=user, created_at=self._past(proposal.created_at + DAY))
                    )
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4))):
                stance = rng.choice(("agree", "agree", "disagree", "neutral"))
                comments_top.append(
                    Comment(
                        target_type=ptype,
                        target_id=proposal.pk,
                        process_id=proposal.process_id,
                        author=rng.choice(self.residents),
                        stance=stance,
                        body=rng.choice(data.COMMENTS[stance]),
                        created_at=self._past(proposal.created_at + rng.uniform(0.1, 10) * DAY),
                    )
                )
        with explicit_timestamps((Support, "created_at"), (Comment, "created_at")):
            Support.objects.bulk_create(supports, batch_size=2000, ignore_conflicts=True)
            Comment.objects.bulk_create(comments_top, batch_size=1000)
            tops = list(of_proposals.filter(root__isnull=True).order_by("pk"))
            replies: list[Comment] = []
            for top in tops:
                if rng.random() < 0.35:
                    replies.append(
                        Comment(
                            target_type=ptype,
                            target_id=top.target_id,
                            process_id=top.process_id,
                            author=rng.choice(self.residents),
                            parent=top,
                            root=top,
                            stance=Comment.Stance.NEUTRAL,
                            body=rng.choice(data.REPLIES),
                            created_at=self._past(top.created_at + rng.uniform(0.05, 3) * DAY),
                        )
                    )
            Comment.objects.bulk_create(replies, batch_size=1000)
            # Replies to replies: the thread keeps its root, the parent is the reply.
            second = [
                Comment(
                    target_type=ptype,
                    target_id=reply.target_id,
                    process_id=reply.process_id,
                    author=self.demo["habitante"],
                    parent=reply,
                    root=reply.root,
                    stance=Comment.Stance.AGREE,
                    body="Merci, je suis d'accord avec vous deux.",
                    created_at=self._past(reply.created_at + DAY),
                )
                for reply in of_proposals.filter(root__isnull=False).order_by("pk")[::9]
            ]
            Comment.objects.bulk_create(second)
        # Moderation examples: a few offensive comments hidden, a few reported and still pending.
        moderator = self.demo["moderation"]
        offensive = [
            Comment(
                target_type=ptype,
                target_id=proposal.pk,
                process_id=proposal.process_id,
                author=rng.choice(self.residents),
                body=data.HIDDEN_COMMENT,
                stance=Comment.Stance.DISAGREE,
                is_hidden=True,
                hidden_reason=data.HIDDEN_REASON,
                hidden_by=moderator,
            )
            for proposal in self.proposals_list[5::97][:4]
        ]
        Comment.objects.bulk_create(offensive)
        pending = list(of_proposals.filter(is_hidden=False, root__isnull=True).order_by("pk")[3::151][:4])
        reports = [
            Report(comment=comment, reporter=reporter, reason="Message hors sujet ou agressif.")
            for comment in pending
            for reporter in rng.sample(self.residents, 2)
            if reporter.pk != comment.author_id
        ]
        reports += [
            Report(comment=comment, reporter=self.demo["voisin"], reason="Propos injurieux.", resolved_at=self.now)
            for comment in of_proposals.filter(is_hidden=True)
        ]
        Report.objects.bulk_create(reports, ignore_conflicts=True)
        self._recount()

    def _recount(self) -> None:
        """Exact counters, recomputed from the rows in two grouped queries."""
        supports = dict(Support.objects.values("proposal").annotate(n=models.Count("pk")).values_list("proposal", "n"))
        comments = dict(
            Comment.objects.filter(target_type=ContentType.objects.get_for_model(Proposal))
            .values("target_id")
            .annotate(n=models.Count("pk"))
            .values_list("target_id", "n")
        )
        for proposal in self.proposals_list:
            proposal.support_count = supports.get(proposal.pk, 0)
            proposal.comment_count = comments.get(proposal.pk, 0)
        Proposal.objects.bulk_update(self.proposals_list, ["support_count", "comment_count"], batch_size=500)

    def answers_and_commitments(self) -> None:
        rng = self.rng
        answers: list[Answer] = []
        commitments: list[Commitment] = []
        proposal_type = ContentType.objects.get_for_model(Proposal)
        ongoing = 0
        for proposal in self.proposals_list:
            if proposal.status not in DECIDED:
                continue
            spec = self.spec_of[proposal.process_id]
            plan = PHASE_PLANS[spec.state]
            analysis_start, analysis_end = plan[2][2], min(plan[2][3], 0)
            answered = self.now + rng.uniform(analysis_start, max(analysis_start + 1, analysis_end)) * DAY
            service = proposal.assigned_service.name if proposal.assigned_service else "Direction du dialogue citoyen"
            body = rng.choice(data.ANSWERS[proposal.status]).format(**data.service_words(service))
            answers.append(
                Answer(
                    source=proposal,
                    process_id=proposal.process_id,
                    status=proposal.status,
                    body=body,
                    body_html=render_rich_text(body),
                    state=Answer.State.PUBLISHED,
                    author=self.demo["agent"],
                    signed_by=rng.choice(SIGNATURES),
                    signed_at=answered,
                    created_at=answered,
                    updated_at=answered,
                )
            )
            if proposal.status in COMMITTED:
                if proposal.status == Status.DONE or spec.state == "closed":
                    state, progress = Commitment.State.DONE, 100
                    planned = self.today - datetime.timedelta(days=rng.randint(40, 200))
                else:
                    state = rng.choice(
                        (Commitment.State.PLANNED, Commitment.State.IN_PROGRESS, Commitment.State.IN_PROGRESS)
                    )
                    progress = 0 if state == Commitment.State.PLANNED else rng.choice((20, 40, 60, 80))
                    # A quarter are late: the follow-up must show it, not hide it.
                    late = ongoing % 4 == 0
                    ongoing += 1
                    planned = self.today + datetime.timedelta(
                        days=rng.randint(-60, -5) if late else rng.randint(20, 300)
                    )
                commitments.append(
                    Commitment(
                        process_id=proposal.process_id,
                        territory=proposal.territory,
                        title=proposal.title,
                        description=proposal.body,
                        service=proposal.assigned_service,
                        planned_date=planned,
                        progress=progress,
                        state=state,
                        made_with_residents=rng.random() < 0.4,
                        source_type=proposal_type,
                        source_id=proposal.pk,
                        created_at=answered,
                    )
                )
        with explicit_timestamps((Answer, "created_at"), (Commitment, "created_at"), (CommitmentUpdate, "created_at")):
            Answer.objects.bulk_create(answers, batch_size=500)
            Commitment.objects.bulk_create(commitments, batch_size=500)
            updates: list[CommitmentUpdate] = []
            for commitment in Commitment.objects.select_related("service").order_by("pk"):
                steps = STEPS_BY_STATE.get(commitment.state, 3)
                start = timezone.localtime(commitment.created_at).date()
                service = commitment.service.name if commitment.service else "Direction du dialogue citoyen"
                for step in range(steps):
                    last = step == steps - 1
                    text_index = min(step * 2 + (1 if last and commitment.state == "in_progress" else 0), 4)
                    if commitment.state == Commitment.State.DONE and last:
                        text_index = 5
                    day = min(self.today, start + datetime.timedelta(days=20 + 45 * step))
                    updates.append(
                        CommitmentUpdate(
                            commitment=commitment,
                            date=day,
                            body=data.UPDATES[text_index].format(**data.service_words(service)),
                            progress=commitment.progress if last else min(commitment.progress, 20 * step),
                            state=commitment.state if last else Commitment.State.IN_PROGRESS if step else "planned",
                            author=self.demo["agent"],
                            created_at=self._past(
                                timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
                            ),
                        )
                    )
            CommitmentUpdate.objects.bulk_create(updates, batch_size=1000)

    def build(self) -> dict[str, int]:
        self.processes()
        self.proposals()
        self.supports_and_comments()
        self.answers_and_commitments()
        return {
            "démarches": len(self.process_rows),
            "propositions": len(self.proposals_list),
            "soutiens": Support.objects.count(),
            "commentaires": Comment.objects.count(),
            "réponses": Answer.objects.count(),
            "engagements de propositions": Commitment.objects.count(),
        }


def build(builder: Any) -> dict[str, int]:
    return ProposalsDemo(builder).build()
