# ruff: noqa: E501  (French demo prose: long sentences read better unbroken)
"""Demo of a participatory evaluation, built at the end of the workshops demo: a panel of
residents of a QPV evaluates the « Programme de réussite éducative », an action of the contrat
de ville, on an evidence file; the city answers each recommendation, commitments follow, the
cahier is published, and the panel's members give the trust barometer their marks."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from apps.answers.barometer import barometer_reply
from apps.followup.models import Commitment
from apps.workshops import evaluation_services, services
from apps.workshops.demo import DAY, _panel, _process, _recommendations, _sessions, _votes
from apps.workshops.models import CitizenOpinion, Recommendation, Workshop, opinion_digest

SLUG = "evaluation-reussite-educative"
TOPICS: list[tuple[str, str, str]] = [
    (
        "Lancement : ce que l'on évalue et comment",
        "Présentation du programme, des questions évaluatives et des critères.",
        "",
    ),
    (
        "Lecture du dossier de preuves",
        "Bilan d'activité, données de fréquentation, budget : ce que disent les chiffres.",
        "La cheffe de projet du programme de réussite éducative.",
    ),
    (
        "Audition des familles et des professionnels",
        "Témoignages de parents, d'une enseignante, d'un éducateur de prévention.",
        "Un collège REP+, le centre social, l'association de prévention spécialisée.",
    ),
    (
        "Écriture et adoption des recommandations",
        "Travail en sous-groupes, vote recommandation par recommandation.",
        "",
    ),
]
RECOMMENDATIONS = [
    (
        "Aller chercher les familles qui ne viennent pas",
        "Confier à deux médiatrices la prise de contact, à domicile ou au pied des immeubles, avec les familles orientées par l'école qui ne répondent pas aux courriers.",
    ),
    (
        "Des parcours traduits et expliqués",
        "Traduire les documents du programme dans les cinq langues les plus parlées du quartier et proposer un rendez-vous d'explication à chaque famille.",
    ),
    (
        "Associer les parents au comité de suivi",
        "Faire entrer trois parents, renouvelés chaque année, dans le comité de suivi du programme.",
    ),
    (
        "Publier chaque année les résultats",
        "Publier un bilan annuel lisible : nombre d'enfants suivis, durée des parcours, ce qui a changé pour eux.",
    ),
    (
        "Étendre le programme aux 16-18 ans",
        "Ouvrir le programme aux lycéens de 16 à 18 ans en décrochage.",
    ),
]
DECISIONS = ["accepted", "adapted", "accepted", "accepted", "not_retained"]
REASONS = {
    "accepted": "La Ville retient cette recommandation du panel d'évaluation et s'engage sur un calendrier, suivi publiquement.",
    "adapted": "La Ville retient l'intention et l'adapte : les traductions commencent par les trois langues les plus demandées par les familles, un bilan dira s'il faut aller plus loin.",
    "not_retained": "Le programme de réussite éducative est financé par l'État pour les 2-16 ans ; la Ville transmet la demande au comité de pilotage du contrat de ville et soutient la Mission locale pour les 16-18 ans.",
}
EVIDENCE = [
    ("Bilan d'activité 2025 du programme de réussite éducative", "Service politique de la ville, mars 2026", True),
    ("Fréquentation par quartier et par âge, 2023-2025", "Observatoire de la Ville, février 2026", True),
    ("Budget du programme et cofinancements", "Direction des finances, janvier 2026", True),
    ("Synthèse des entretiens avec les professionnels", "Cabinet d'évaluation, avril 2026", False),
]


def _pdf(title: str, origin: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setTitle(title)
    page.drawString(72, 760, title)
    page.drawString(72, 740, origin)
    page.drawString(72, 700, "Document de démonstration : pièce du dossier d'évaluation participative.")
    page.save()
    return SimpleUploadedFile("piece.pdf", buffer.getvalue(), "application/pdf")


def build_evaluation(builder: Any) -> dict[str, int]:
    elue, agent = builder.demo["elue"], builder.demo["agent"]
    priority = [quartier for quartier in builder.quartiers if quartier.is_priority_area]
    territory = (priority or builder.quartiers)[0]
    process = _process(
        builder,
        title="Évaluation participative du programme de réussite éducative",
        territory=territory,
        summary="Un panel d'habitantes et d'habitants du quartier, tirés au sort et volontaires, évalue une action du contrat de ville : le programme de réussite éducative.",
        plan=[
            ("mandate", "Mandat et constitution du panel", -200, -160),
            ("sessions", "Séances d'évaluation", -160, -70),
            ("opinion", "Rédaction et adoption des recommandations", -70, -50),
            ("answer", "Réponse argumentée", -50, -20),
            ("followup", "Droit de suite", -20, 500),
        ],
        answer_due=builder.today - 20 * DAY,
    )
    workshop = Workshop.objects.create(
        process=process,
        title="Évaluation participative du programme de réussite éducative",
        slug=SLUG,
        question="Le programme de réussite éducative atteint-il les enfants et les familles qui en ont le plus besoin, et que faudrait-il changer ?",
        open_scope="L'accès au programme, l'accueil des familles, l'information, la place des parents, le suivi des résultats.",
        closed_scope="Les critères nationaux d'éligibilité et le montant de la dotation de l'État.",
        experts="La cheffe de projet du programme, un collège REP+, le centre social, l'association de prévention spécialisée.",
        resources="Le dossier de preuves de l'évaluation (bilans, données, budget).",
        calendar="Quatre séances d'évaluation, puis la réponse argumentée de l'élue et un comité de suivi.",
        answerer=elue,
        answer_due=builder.today - 20 * DAY,
        mandate_published_at=builder.now - 190 * DAY,
        created_by=agent,
    )
    CitizenOpinion.objects.create(workshop=workshop)
    evaluation = evaluation_services.evaluation_save(
        actor=agent,
        workshop=workshop,
        policy="Programme de réussite éducative (PRE)",
        contract_action="Contrat de ville 2024-2030, pilier « cohésion sociale », axe éducation",
        context="Le programme accompagne chaque année environ 300 enfants de 2 à 16 ans des quartiers prioritaires et leurs familles, avec un parcours individuel (santé, scolarité, loisirs, soutien aux parents).",
        questions="Le programme atteint-il les familles les plus éloignées des institutions ?\nLes familles comprennent-elles ce qui leur est proposé ?\nLes parents ont-ils leur mot à dire ?\nQu'est-ce qui a changé pour les enfants suivis ?",
        criteria="Pertinence\nEfficacité\nCohérence avec les autres actions du contrat de ville\nImpact pour les enfants et les familles",
    )
    for title, origin, public in EVIDENCE:
        evaluation_services.evidence_add(
            actor=agent, evaluation=evaluation, title=title, origin=origin, file=_pdf(title, origin), is_public=public
        )
    members = _panel(builder, workshop, use_draw=False, volunteers=14)
    sessions = _sessions(builder, workshop, members, [150, 120, 95, 75], TOPICS)
    recommendations = _recommendations(builder, workshop, members, RECOMMENDATIONS)
    _votes(builder, recommendations, members)
    opinion = workshop.opinion
    for recommendation in recommendations:
        recommendation.published_text = recommendation.text
        recommendation.save(update_fields=["published_text"])
    opinion.state = CitizenOpinion.State.PUBLISHED
    opinion.vote_opened_at = builder.now - 62 * DAY
    opinion.vote_closed_at = builder.now - 60 * DAY
    opinion.published_at = builder.now - 55 * DAY
    opinion.published_sha256 = opinion_digest(recommendations)
    opinion.save()
    service_list = list(builder.services.values())
    answers = []
    for index, (recommendation, status) in enumerate(zip(recommendations, DECISIONS, strict=True)):
        rows = []
        if status != "not_retained":
            rows.append(
                {
                    "title": recommendation.title,
                    "service": service_list[index % len(service_list)],
                    "planned_date": builder.today + (index * 60 - 30) * DAY,
                }
            )
        draft = services.recommendation_answer(
            actor=agent, recommendation=recommendation, status=status, reasons=REASONS[status], commitments=rows
        )
        answers.append(services.recommendation_answer_sign(signer=elue, answer=draft))
    first = Commitment.objects.filter(process=process).order_by("pk").first()
    if first is not None:
        Commitment.objects.filter(pk=first.pk).update(progress=100, state=Commitment.State.DONE)
    # The trust barometer: most members with an account give their marks on most answers.
    replies = 0
    for member in members:
        if member.user is None or member.user_id == builder.demo["habitante"].pk:
            continue  # habitante keeps the barometer to try it herself
        for answer in answers:
            if builder.rng.random() < 0.8:
                heard = builder.rng.choice([2, 3, 4, 4, 5, 5] if answer.status != "not_retained" else [1, 2, 2, 3, 4])
                clear = builder.rng.choice([3, 4, 4, 5, 5, None])
                barometer_reply(person=member.user, answer=answer, heard=heard, clear=clear)
                replies += 1
    return {
        "évaluations participatives": 1,
        "pièces de dossiers d'évaluation": len(EVIDENCE),
        "séances d'évaluation": sessions,
        "recommandations d'évaluation": Recommendation.objects.filter(opinion=opinion).count(),
        "avis du baromètre de confiance": replies,
    }
