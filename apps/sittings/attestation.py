"""The one attestation of participation of every citizen body (workshop panels, conseils
citoyens, juries, public meetings) as PDF (reportlab): the calling module writes the body text
and lists the sittings attended.

    attestation_pdf(full_name="Awa Diallo", body="...", sessions=[(date, "Séance 1 (3 h)")],
                    issued_by="La Direction du dialogue citoyen", city="Nantes") -> bytes

Pages are not compressed so that the text stays searchable by simple tools (and tests).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer

from apps.core import formatting
from apps.core.pdf import a4_pdf

if TYPE_CHECKING:
    from apps.sittings.models import Sitting


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
    sessions_heading: str | None = None,
) -> bytes:
    """A one- or two-page A4 attestation. ``body`` is plain text (paragraphs separated by a
    blank line); ``sessions`` are (date, label) pairs listed in date order, under
    ``sessions_heading`` (the sittings attended, unless the caller lists something else)."""
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
        story.append(Paragraph(escape(sessions_heading or _("Séances auxquelles la personne a participé :")), normal))
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
    return a4_pdf(
        story,
        title=title or _("Attestation de participation"),
        author=issued_by,
        side_cm=2.5,
        top_cm=2.5,
        bottom_cm=2.5,
        subject=full_name,
    )


def hours_label(hours: Decimal) -> str:
    """« 2,5 » for Decimal("2.5") or Decimal("2.50"), « 3 » for Decimal("3.0"): the French decimal
    comma, without trailing zeros (nor an exponent)."""
    text = f"{hours:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def sitting_lines(sittings: list[Sitting], *, with_hours: bool = False) -> list[tuple[datetime.date, str]]:
    """The (date, label) pairs ``attestation_pdf`` lists: the local date of each sitting and its
    title, followed by its length in hours when asked."""
    return [
        (
            timezone.localtime(sitting.starts_at).date(),
            f"{sitting.title} ({hours_label(sitting.hours)} h)" if with_hours else sitting.title,
        )
        for sitting in sittings
    ]
