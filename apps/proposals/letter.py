"""The answer to a paper contribution as a letter to post (PDF, reportlab): the city's
letterhead, the address block, the proposal, the reasoned answer rendered from Markdown and
the signature. Same page style as the workshops' attestations; pages are not compressed so
the text stays searchable by simple tools (and tests)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer

from apps.answers.models import Answer
from apps.core.pdf import a4_pdf
from apps.notifications.rendering import markdown_blocks
from apps.proposals.models import PaperContact


def _markdown_flowables(source: str, normal: ParagraphStyle) -> list:  # type: ignore[type-arg]
    story: list = []  # type: ignore[type-arg]
    items: list[ListItem] = []
    for block in markdown_blocks(source):
        if block.kind == "li":
            bullet = f"{block.ordinal}." if block.ordinal else "•"
            items.append(ListItem(Paragraph(block.markup, normal), leftIndent=12, value=bullet))
            continue
        if items:
            story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12))
            items = []
        markup = f"<b>{block.markup}</b>" if block.kind in ("h3", "h4") else block.markup
        story.append(Paragraph(markup, normal))
    if items:
        story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12))
    return story


def answer_letter_pdf(contact: PaperContact, answer: Answer) -> bytes:
    proposal = contact.proposal
    city = proposal.process.territory.root().name
    styles = getSampleStyleSheet()
    normal = ParagraphStyle("normal", parent=styles["BodyText"], fontSize=11, leading=15, spaceAfter=8)
    address = ParagraphStyle("address", parent=normal, leftIndent=9 * cm, spaceBefore=24, spaceAfter=24)
    letterhead = ParagraphStyle("letterhead", parent=styles["Heading2"], spaceAfter=2)
    story: list = [  # type: ignore[type-arg]
        Paragraph(escape(_("Ville de %(city)s") % {"city": city}), letterhead),
        Paragraph(escape(_("Dialogue citoyen — démarche « %(title)s »") % {"title": proposal.process.title}), normal),
        Paragraph(
            "<br/>".join(
                escape(line.strip())
                for line in [proposal.paper_author_name, *contact.postal_address.splitlines()]
                if line.strip()
            ),
            address,
        ),
        Paragraph(
            escape(
                _("À %(city)s, le %(date)s")
                % {"city": city, "date": formats.date_format(timezone.localdate(), "j F Y")}
            ),
            normal,
        ),
        Spacer(1, 12),
        Paragraph(
            "<b>" + escape(_("Objet : réponse à votre proposition « %(title)s »") % {"title": proposal.title}) + "</b>",
            normal,
        ),
        Paragraph(escape(_("Madame, Monsieur,")), normal),
        Paragraph(
            escape(
                _(
                    "Vous avez déposé une proposition sur papier le %(date)s. La Ville y a apporté la réponse "
                    "argumentée suivante. Décision : %(status)s."
                )
                % {
                    "date": formats.date_format(timezone.localtime(proposal.created_at), "j F Y"),
                    "status": answer.get_status_display(),
                }
            ),
            normal,
        ),
        *_markdown_flowables(answer.body, normal),
        Spacer(1, 12),
        Paragraph(escape(_("Votre proposition :")), normal),
        Paragraph("<i>" + escape(proposal.body).replace("\n", "<br/>") + "</i>", normal),
        Spacer(1, 18),
        Paragraph(escape(answer.signed_by), normal),
    ]
    return a4_pdf(story, title=_("Réponse à votre proposition"), author=city, side_cm=2.5, bottom_cm=2.5)
