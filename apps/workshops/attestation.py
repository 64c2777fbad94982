"""Attestation of participation as PDF (reportlab), generic enough for any citizen body
(workshops, conseils citoyens, juries): the caller writes the body and lists the sessions.

    attestation_pdf(full_name="Awa Diallo", body="...", sessions=[(date, "Séance 1 (3 h)")],
                    issued_by="La Direction du dialogue citoyen", city="Nantes") -> bytes

Pages are not compressed so that the text stays searchable by simple tools (and tests).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from apps.core import formatting

if TYPE_CHECKING:
    from apps.workshops.models import PanelMember


def _date(day: datetime.date) -> str:
    return formatting.date_format(day, "j F Y")


def attestation_pdf(
    *,
    full_name: str,
    body: str,
    sessions: list[tuple[datetime.date, str]],
    issued_by: str,
    city: str,
    title: str | None = None,
    issued_on: datetime.date | None = None,
) -> bytes:
    """A one- or two-page A4 attestation. ``body`` is plain text (paragraphs separated by a
    blank line); ``sessions`` are (date, label) pairs listed in date order."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=title or _("Attestation de participation"),
        author=issued_by,
        subject=full_name,
        lang="fr-FR",
        pageCompression=0,
    )
    styles = getSampleStyleSheet()
    heading = ParagraphStyle("heading", parent=styles["Title"], fontSize=20, spaceAfter=18)
    normal = ParagraphStyle("normal", parent=styles["BodyText"], fontSize=11, leading=15, spaceAfter=8)
    name_style = ParagraphStyle("name", parent=normal, fontSize=14, leading=18, spaceBefore=6, spaceAfter=12)
    story: list[Any] = [  # reportlab flowables (reportlab is untyped)
        Paragraph(escape(city), styles["Heading3"]),
        Paragraph(escape(title or _("Attestation de participation")), heading),
        Paragraph(escape(_("La présente attestation est délivrée à :")), normal),
        Paragraph(f"<b>{escape(full_name)}</b>", name_style),
    ]
    for paragraph in [part.strip() for part in body.split("\n\n") if part.strip()]:
        story.append(Paragraph(escape(paragraph).replace("\n", "<br/>"), normal))
    if sessions:
        story.append(Spacer(1, 6))
        story.append(Paragraph(escape(_("Séances auxquelles la personne a participé :")), normal))
        items = [
            ListItem(Paragraph(f"{escape(_date(day))} — {escape(label)}", normal), leftIndent=12)
            for day, label in sorted(sessions, key=lambda pair: pair[0])
        ]
        story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12))
    story.append(Spacer(1, 18))
    issued = issued_on or timezone.localdate()
    story.append(
        Paragraph(
            escape(_("Fait à %(city)s, le %(date)s.") % {"city": city, "date": _date(issued)}),
            normal,
        )
    )
    story.append(Paragraph(escape(issued_by), normal))
    document.build(story)
    return buffer.getvalue()


SKILLS = (
    gettext_noop("écoute et prise de parole en groupe"),
    gettext_noop("analyse de documents et audition d'experts"),
    gettext_noop("délibération et recherche du compromis"),
    gettext_noop("rédaction collective de recommandations"),
)


def panel_member_attestation(member: PanelMember) -> bytes:
    """The attestation of one workshop panel member: the sessions attended, the hours and the
    skills practised (for a « validation d'acquis » file)."""
    from apps.workshops.selectors import attended_sessions

    workshop = member.workshop
    sessions = attended_sessions(member)
    hours = sum((session.hours for session in sessions), Decimal(0))
    hours_label = f"{hours:g}".replace(".", ",")
    body = _(
        "a participé en tant que membre du panel à l'atelier citoyen « %(title)s », organisé par la Ville "
        "dans le cadre de la démarche « %(process)s »."
    ) % {"title": workshop.title, "process": workshop.process.title}
    body += "\n\n" + _("Question posée au panel : %(question)s") % {"question": workshop.question}
    body += "\n\n" + ngettext(
        "Participation : %(count)s séance, soit %(hours)s heures de travail collectif.",
        "Participation : %(count)s séances, soit %(hours)s heures de travail collectif.",
        len(sessions),
    ) % {"count": len(sessions), "hours": hours_label}
    body += "\n\n" + _("Compétences mises en œuvre (pour une démarche de validation d'acquis) : %(skills)s.") % {
        "skills": ", ".join(str(_(skill)) for skill in SKILLS)
    }
    return attestation_pdf(
        full_name=member.full_name or member.public_name,
        body=body,
        sessions=[
            (
                timezone.localtime(session.starts_at).date(),
                f"{session.title} ({f'{session.hours:g}'.replace('.', ',')} h)",
            )
            for session in sessions
        ],
        issued_by=_("Pour la Ville, la direction du dialogue citoyen — %(name)s")
        % {"name": workshop.answerer.display_name},
        city=workshop.process.territory.root().name,
    )
