"""The demo's appel à agir in sessions (one session examined with the pro rata rule, the next
one gathering dossiers) and the end of projects (receipts, closing reports validated or waiting).
Called by :func:`apps.initiatives.demo.build`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph

from apps.core.models import Process
from apps.core.pdf import a4_pdf
from apps.initiatives import closing, services, sessions
from apps.initiatives.models import Call, CallSession, ClosingReport, Initiative, Step

# (title, amount asked, session: 0 = winter (examined), 1 = spring (gathering), days ago filed)
DOSSIERS = (
    ("Une rue aux enfants le mercredi", "600.00", 0, 45),
    ("Des jeux peints dans la cour", "500.00", 0, 40),
    ("Un goûter de rue mensuel", "450.00", 0, 38),
    ("Des bancs fabriqués avec les ados", "300.00", 0, 35),
    ("Une boîte à jeux partagée", "250.00", 1, 6),
    ("Un atelier vélo dans la rue fermée", "700.00", 1, 3),
)


def _receipt_pdf(title: str, amount: Decimal) -> ContentFile[bytes]:
    style = getSampleStyleSheet()["BodyText"]
    content = a4_pdf(
        [Paragraph(f"Facture — {title}", style), Paragraph(f"Montant : {amount} €", style)],
        title="Facture",
        author="Fournisseur de démonstration",
    )
    return ContentFile(content, name="facture.pdf")


def build(builder: Any, *, agent: Any, holders: list[Any], follow: Process | None) -> dict[str, int]:
    from apps.initiatives.demo import _back

    today: datetime.date = builder.today
    call = services.call_create(
        actor=agent,
        title="Appel à agir en sessions : la rue aux enfants",
        slug="appel-a-agir-rue-aux-enfants",
        territory=builder.city,
        mode=Call.Mode.SESSIONS,
        budget=Decimal("6000.00"),
        max_amount=Decimal("1000.00"),
        rules="Un projet pour et avec les enfants du quartier, ouvert à toutes et tous. Une session par trimestre.",
        criteria="Dans l'espace public ou un lieu ouvert ; porté par au moins deux foyers ; gratuit pour les enfants.",
        opens_on=today - datetime.timedelta(days=100),
        closes_on=today + datetime.timedelta(days=260),
        decides_on=today + datetime.timedelta(days=270),
        is_published=True,
        process=follow,
    )
    plan = (("Session d'hiver", 0), ("Session de printemps", 20), ("Session d'été", 110), ("Session d'automne", 200))
    made = [
        sessions.session_add(
            actor=agent,
            call=call,
            title=title,
            cutoff=today + datetime.timedelta(days=offset),
            examines_on=today + datetime.timedelta(days=offset + 10),
            tranche=Decimal("1500.00"),
        )
        for title, offset in plan
    ]
    winter = made[0]
    quartiers = builder.quartiers[:2]
    filed: list[tuple[Initiative, int]] = []
    for index, (title, amount, session_index, days) in enumerate(DOSSIERS):
        if session_index == 1 and winter.examined_at is None:
            # The winter session's cutoff has passed: it is examined, the rest goes to spring.
            CallSession.objects.filter(pk=winter.pk).update(
                cutoff=today - datetime.timedelta(days=30), examines_on=today - datetime.timedelta(days=20)
            )
            winter.refresh_from_db()
            conforming = Initiative.objects.filter(session=winter, decision__isnull=True)
            sessions.session_examine(actor=agent, session=winter, conforming=conforming, note="")
            winter.refresh_from_db()
        holder = holders[(index + 3) % len(holders)]
        idea = services.initiative_file(
            title=title,
            description=f"{title}. Avec les familles de la rue, pour que les enfants jouent dehors.",
            place="Rue des Écoles",
            territory=quartiers[index % len(quartiers)],
            who="Des parents et leurs enfants",
            category="living",
            helps=["money", "permit"],
            is_public=True,
            holder=holder,
        )
        services.referent_assign(actor=agent, initiative=idea, referent=agent)
        services.step_record(actor=agent, initiative=idea, kind=Step.Kind.CONTACT, note="Rencontre sur place.")
        services.initiative_submit(holder=holder, initiative=idea, call=call, amount_requested=Decimal(amount))
        filed.append((idea, days))
    for idea, days in filed:
        _back(idea, days, builder.now)
    return {"sessions d'appel": len(made), "dossiers en sessions": len(DOSSIERS)}


def build_closing(builder: Any, *, agent: Any) -> dict[str, int]:
    """Receipts and a validated report for each realised project; one funded project's report
    waits for its validation."""
    reports = 0
    done = Initiative.objects.filter(stage=Initiative.Stage.REALISED, decision__amount__gt=0).select_related("decision")
    waiting = Initiative.objects.filter(stage=Initiative.Stage.FUNDED, decision__amount__gt=0).select_related(
        "decision"
    )[:1]
    for initiative in [*done, *waiting]:
        holder = initiative.holder
        if holder is None:
            continue
        granted = initiative.decision.amount
        spent = (granted * Decimal("0.92")).quantize(Decimal("0.01"))
        closing.attachment_add(
            actor=holder,
            initiative=initiative,
            kind="receipt",
            label="Facture du matériel",
            amount=spent,
            upload=_receipt_pdf(initiative.title, spent),
        )
        report = closing.report_file(
            holder=holder,
            initiative=initiative,
            done="Le projet a eu lieu comme prévu ; les voisin·es ont tout installé en deux week-ends.",
            participants=40 + 5 * reports,
            participants_note="Des familles, l'école et l'amicale de locataires",
            spent=spent,
            difference_note="Le matériel était moins cher que le devis.",
        )
        if initiative.stage == Initiative.Stage.REALISED:
            closing.report_review(actor=agent, report=report, validate=True)
        reports += 1
    return {"bilans de projet": reports, "bilans validés": ClosingReport.objects.filter(state="validated").count()}
