"""The cahier of a workshop or participatory evaluation (web page and PDF): what was asked,
who worked on it, on which evidence, the numbered recommendations with the panel's vote, the
city's reasoned answer to each and where each commitment stands today (droit de suite).

Everything here is already public on its own (mandate, published opinion, signed answers,
commitments); the cahier gathers it in one document that can be printed, filed and compared.
Panel members appear as counts only (drawn / volunteers), never by name."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer

from apps.core import formatting
from apps.core.pdf import a4_pdf
from apps.followup.models import Commitment
from apps.workshops import selectors

if TYPE_CHECKING:
    from apps.sittings.models import Sitting
    from apps.workshops.evaluation_models import Evaluation, EvidenceFile
    from apps.workshops.models import Recommendation, Workshop
    from apps.workshops.selectors import Tally


@dataclass
class CahierEntry:
    recommendation: Recommendation
    tally: Tally | None
    answer: Any  # apps.answers.models.Answer | None
    commitments: list[Commitment] = field(default_factory=list)


@dataclass
class Cahier:
    workshop: Workshop
    evaluation: Evaluation | None
    panel: dict[str, Any]
    sessions: list[Sitting]
    evidence: list[EvidenceFile]
    entries: list[CahierEntry]
    today: datetime.date

    @property
    def answered(self) -> int:
        return sum(1 for entry in self.entries if entry.answer is not None)

    @property
    def decisions(self) -> list[tuple[str, int]]:
        counts = Counter(entry.answer.get_status_display() for entry in self.entries if entry.answer is not None)
        return sorted(counts.items())

    @property
    def commitments(self) -> list[Commitment]:
        return [commitment for entry in self.entries for commitment in entry.commitments]

    @property
    def commitment_states(self) -> list[tuple[str, int]]:
        """How many commitments stand in each state, « en retard » counted apart."""
        counts: Counter[str] = Counter()
        for commitment in self.commitments:
            counts[str(_("En retard")) if commitment.is_overdue else commitment.get_state_display()] += 1
        return sorted(counts.items())


def cahier_of(workshop: Workshop, *, public_only: bool = True) -> Cahier:
    opinion = workshop.opinion
    recommendations = selectors.recommendations_for_page(opinion)
    results = selectors.vote_results(opinion)
    entries = []
    for recommendation in recommendations:
        answer = selectors.answer_of(recommendation)
        commitments = (
            [link.commitment for link in answer.commitment_links.all() if link.commitment is not None]
            if answer is not None
            else []
        )
        entries.append(CahierEntry(recommendation, results.get(recommendation.pk), answer, commitments))
    evaluation = getattr(workshop, "evaluation", None)
    evidence: list[EvidenceFile] = []
    if evaluation is not None:
        pieces = evaluation.evidence.order_by("pk")
        evidence = list(pieces.filter(is_public=True) if public_only else pieces)
    return Cahier(
        workshop=workshop,
        evaluation=evaluation,
        panel=selectors.panel_summary(workshop),
        sessions=list(selectors.published_sessions(workshop)),
        evidence=evidence,
        entries=entries,
        today=timezone.localdate(),
    )


# --- PDF -------------------------------------------------------------------------------------


def _date(day: datetime.date | datetime.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    return formatting.date_format(day, "j F Y")


def _paragraphs(text: str, style: ParagraphStyle) -> list[Any]:
    return [
        Paragraph(escape(part.strip()).replace("\n", "<br/>"), style) for part in text.split("\n\n") if part.strip()
    ]


def _bullets(lines: list[str], style: ParagraphStyle) -> Any:
    items = [ListItem(Paragraph(escape(line), style), leftIndent=12) for line in lines]
    return ListFlowable(items, bulletType="bullet", start="•", leftIndent=12)


def cahier_pdf(cahier: Cahier) -> bytes:
    """The cahier as an A4 PDF (reportlab, uncompressed pages so that the text stays searchable)."""
    workshop = cahier.workshop
    city = workshop.process.territory.root().name
    title = _("Cahier de l'évaluation participative") if cahier.evaluation else _("Cahier de l'atelier citoyen")
    styles = getSampleStyleSheet()
    h1 = ParagraphStyle("h1", parent=styles["Title"], fontSize=18, spaceAfter=12)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], spaceBefore=12)
    h3 = ParagraphStyle("h3", parent=styles["Heading3"], spaceBefore=8)
    normal = ParagraphStyle("n", parent=styles["BodyText"], fontSize=10, leading=14, spaceAfter=6)
    meta = ParagraphStyle("m", parent=normal, textColor="#444444")
    story: list[Any] = [
        Paragraph(escape(city), styles["Heading4"]),
        Paragraph(escape(f"{title} — {workshop.title}"), h1),
        Paragraph(escape(_("Édité le %(date)s.") % {"date": _date(cahier.today)}), meta),
    ]
    evaluation = cahier.evaluation
    if evaluation is not None:
        story.append(Paragraph(escape(_("Ce qui est évalué")), h2))
        story.append(Paragraph(escape(evaluation.policy), normal))
        if evaluation.contract_action:
            story.append(
                Paragraph(escape(_("Contrat de ville : %(action)s") % {"action": evaluation.contract_action}), normal)
            )
        story.extend(_paragraphs(evaluation.context, normal))
        story.append(Paragraph(escape(_("Questions évaluatives")), h3))
        story.append(_bullets(evaluation.question_list(), normal))
        story.append(Paragraph(escape(_("Critères")), h3))
        story.append(_bullets(evaluation.criterion_list(), normal))
    story.append(Paragraph(escape(_("Le mandat")), h2))
    story.extend(_paragraphs(workshop.question, normal))
    story.append(Paragraph(escape(_("Ce qui est ouvert : %(text)s") % {"text": workshop.open_scope}), normal))
    story.append(Paragraph(escape(_("Ce qui n'est pas ouvert : %(text)s") % {"text": workshop.closed_scope}), normal))
    panel = cahier.panel
    story.append(Paragraph(escape(_("Le panel et ses séances")), h2))
    story.append(
        Paragraph(
            escape(
                _("%(total)s membres : %(drawn)s tiré·es au sort, %(volunteers)s volontaires.")
                % {"total": len(panel["sitting"]), "drawn": panel["drawn"], "volunteers": panel["volunteers"]}
            ),
            normal,
        )
    )
    if cahier.sessions:
        story.append(_bullets([f"{_date(session.starts_at)} — {session.title}" for session in cahier.sessions], normal))
    if cahier.evidence:
        story.append(Paragraph(escape(_("Le dossier de preuves")), h2))
        story.append(
            _bullets(
                [f"{piece.title}" + (f" ({piece.origin})" if piece.origin else "") for piece in cahier.evidence],
                normal,
            )
        )
    story.append(Paragraph(escape(_("Recommandations et réponses de la Ville")), h2))
    story.append(
        Paragraph(
            escape(
                _("%(answered)s recommandations sur %(total)s ont reçu une réponse argumentée.")
                % {"answered": cahier.answered, "total": len(cahier.entries)}
            ),
            normal,
        )
    )
    for entry in cahier.entries:
        recommendation = entry.recommendation
        story.append(Paragraph(escape(str(recommendation)), h3))
        story.extend(_paragraphs(recommendation.published_text or recommendation.text, normal))
        if entry.tally is not None:
            story.append(
                Paragraph(
                    escape(
                        _("Vote du panel : %(for)s pour, %(against)s contre, %(abstain)s abstentions.")
                        % {"for": entry.tally.votes_for, "against": entry.tally.against, "abstain": entry.tally.abstain}
                    ),
                    meta,
                )
            )
        if entry.answer is None:
            story.append(Paragraph(escape(_("Réponse de la Ville : en attente.")), normal))
            continue
        answer = entry.answer
        story.append(
            Paragraph(
                f"<b>{escape(_('Réponse de la Ville : %(decision)s') % {'decision': answer.get_status_display()})}</b>",
                normal,
            )
        )
        story.extend(_paragraphs(answer.body, normal))
        story.append(
            Paragraph(
                escape(
                    _("Signée par %(name)s, le %(date)s.")
                    % {"name": answer.signed_by, "date": _date(answer.created_at)}
                ),
                meta,
            )
        )
        if entry.commitments:
            story.append(
                _bullets(
                    [
                        _("Engagement : %(title)s — %(state)s, %(progress)s %% réalisé, prévu le %(date)s")
                        % {
                            "title": commitment.title,
                            "state": _("en retard") if commitment.is_overdue else commitment.get_state_display(),
                            "progress": commitment.progress,
                            "date": _date(commitment.planned_date) or "—",
                        }
                        for commitment in entry.commitments
                    ],
                    normal,
                )
            )
    if cahier.commitments:
        story.append(Paragraph(escape(_("État des engagements")), h2))
        story.append(_bullets([f"{label} : {count}" for label, count in cahier.commitment_states], normal))
    story.append(Spacer(1, 12))
    story.append(
        Paragraph(
            escape(_("Le suivi à jour de chaque engagement est public sur la plateforme de participation.")), meta
        )
    )
    return a4_pdf(story, title=f"{title} — {workshop.title}", author=city, side_cm=2.2)
