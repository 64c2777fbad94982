"""The end of a supported project: receipts uploaded by its holders or an agent, the closing
report (« bilan de projet ») a holder files, an agent validates or sends back; validation closes
the project (stage « réalisée ») and its commitment in the follow-up. Also the report's PDF.

An uploaded file is judged by its bytes, never by the name or the type the browser sent: a PDF
(``%PDF-`` and a parse with pages) is stored as is under a random ``.pdf`` name; anything else
must decode as an image, which is written again without metadata (``apps.core.uploads``)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Paragraph, Spacer

from apps.core import formatting
from apps.core.formatting import file_size
from apps.core.models import audit
from apps.core.pdf import a4_pdf
from apps.core.uploads import MAX_PDF_BYTES, reencode_image, validate_image_upload, validate_pdf_upload
from apps.initiatives import closing_rules, services
from apps.initiatives.models import ZERO, Attachment, ClosingReport, Decision, Initiative, Step
from apps.notifications.models import Notification
from apps.notifications.services import notify

if TYPE_CHECKING:
    from apps.accounts.models import User

# Enough for a project's invoices and a few photos; a bound on what one project may store.
MAX_ATTACHMENTS = 40


def stored_upload(upload: File[Any]) -> ContentFile[bytes]:
    """The file to store for ``upload``, checked by its content, under a name the server chose."""
    limit = max(MAX_PDF_BYTES, settings.MAX_IMAGE_UPLOAD_BYTES)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Le fichier est trop lourd (%(size)s) : %(limit)s au maximum.")
            % {"size": file_size(upload.size), "limit": file_size(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        validate_pdf_upload(upload)
        return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.pdf")
    try:
        validate_image_upload(upload)
    except ValidationError as error:
        raise ValidationError(
            _("Envoyez un document PDF ou une photo (JPEG, PNG, WebP). %(detail)s")
            % {"detail": " ".join(error.messages)},
            code="bad_file",
        ) from error
    return reencode_image(upload)


@transaction.atomic
def attachment_add(
    *, actor: User, initiative: Initiative, kind: str, label: str, upload: File[Any], amount: Decimal | None = None
) -> Attachment:
    initiative = Initiative.objects.select_for_update().select_related("territory").get(pk=initiative.pk)
    if not closing_rules.can_add_attachment(actor, initiative):
        raise ValidationError(
            _("Les justificatifs se déposent pour un projet soutenu, jusqu'à la validation de son bilan.")
        )
    if initiative.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("Ce projet a déjà %(n)d pièces jointes : c'est le maximum.") % {"n": MAX_ATTACHMENTS})
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Type de pièce inconnu.")})
    stored = stored_upload(upload)
    attachment = Attachment(
        initiative=initiative,
        kind=kind,
        label=label.strip(),
        amount=services._money(amount, "amount") if amount is not None else None,
        uploaded_by=actor,
    )
    attachment.file.save(stored.name or "piece.bin", stored, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    audit(actor, "initiatives.attachment_add", initiative, kind=kind, attachment=attachment.pk)
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, initiative: Initiative, piece_id: int) -> Attachment:
    """Delete a piece of the project; its file goes from the disk once the deletion is committed
    (a rolled-back deletion keeps it). The audit log keeps who took which piece back."""
    initiative = Initiative.objects.select_for_update().select_related("territory").get(pk=initiative.pk)
    if not closing_rules.can_remove_attachment(actor, initiative):
        raise ValidationError(_("Les pièces ne se retirent plus une fois le bilan validé."))
    piece = initiative.attachments.filter(pk=piece_id).first()
    if piece is None:
        raise ValidationError(_("Cette pièce n'existe plus : la page a peut-être été ouverte avant son retrait."))
    stored = piece.file.name
    storage = piece.file.storage
    piece.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    audit(actor, "initiatives.attachment_remove", initiative, kind=piece.kind, attachment=piece_id)
    return piece


def _notify_holders(initiative: Initiative, title: str, actor: User) -> None:
    people = {initiative.holder_id, *initiative.co_holders.values_list("person_id", flat=True)} - {None, actor.pk}
    notify(
        user_ids=[pk for pk in people if pk is not None],
        kind=Notification.Kind.STATUS,
        title=title,
        url=initiative.get_absolute_url(),
    )


@transaction.atomic
def report_file(
    *,
    holder: User,
    initiative: Initiative,
    done: str,
    participants: int,
    spent: Decimal,
    participants_note: str = "",
    difference_note: str = "",
) -> ClosingReport:
    """A holder files the closing report (again, completed, when an agent sent it back)."""
    initiative = Initiative.objects.select_for_update().select_related("territory").get(pk=initiative.pk)
    if not closing_rules.can_file_report(holder, initiative):
        raise ValidationError(_("Le bilan se dépose pour un projet soutenu, par son porteur ou sa porteuse."))
    decision = Decision.objects.get(initiative=initiative)
    spent = services._money(spent, "spent")
    if not done.strip():
        raise ValidationError({"done": _("Racontez ce qui a été fait.")})
    if spent != decision.amount and not difference_note.strip():
        raise ValidationError(
            {
                "difference_note": _(
                    "La dépense (%(spent)s €) diffère de l'aide accordée (%(granted)s €) : expliquez pourquoi."
                )
                % {"spent": spent, "granted": decision.amount}
            }
        )
    report = ClosingReport.objects.filter(initiative=initiative).first() or ClosingReport(initiative=initiative)
    report.done = done.strip()
    report.participants = participants
    report.participants_note = participants_note.strip()
    report.spent = spent
    report.granted = decision.amount
    report.difference_note = difference_note.strip()
    report.state = ClosingReport.State.FILED
    report.filed_by = holder
    report.filed_at = timezone.now()
    report.full_clean()
    report.save()
    services._step(initiative, Step.Kind.NOTE, None, note=_("Bilan du projet déposé."))
    audit(holder, "initiatives.report_file", initiative, spent=str(spent))
    return report


@transaction.atomic
def report_review(*, actor: User, report: ClosingReport, validate: bool, note: str = "") -> ClosingReport:
    """Validate the report (the project and its commitment are closed) or send it back with a
    message saying what to complete."""
    report = ClosingReport.objects.select_for_update().select_related("initiative__territory").get(pk=report.pk)
    if not closing_rules.can_review_report(actor, report):
        raise ValidationError(_("Ce bilan n'attend pas de validation dans votre périmètre."))
    if not validate and not note.strip():
        raise ValidationError({"review_note": _("Dites au porteur ou à la porteuse ce qu'il faut compléter.")})
    initiative = report.initiative
    report.state = ClosingReport.State.VALIDATED if validate else ClosingReport.State.RETURNED
    report.review_note = note.strip()
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.save(update_fields=["state", "review_note", "reviewed_by", "reviewed_at"])
    if validate:
        summary = _("Bilan validé : %(spent)s € dépensés sur %(granted)s € accordés, %(n)d participant·es.") % {
            "spent": report.spent,
            "granted": report.granted,
            "n": report.participants,
        }
        if initiative.stage != Initiative.Stage.REALISED:
            # The realisation step moves the stage and closes the commitment in the follow-up.
            services.step_record(actor=actor, initiative=initiative, kind=Step.Kind.REALISED, note=summary)
        else:
            services._step(initiative, Step.Kind.NOTE, actor, note=summary)
            services._realised(actor, initiative, summary)
        _notify_holders(
            initiative,
            _("Le bilan de « %(title)s » est validé : le projet est clos.") % {"title": initiative.title},
            actor,
        )
    else:
        services._step(
            initiative, Step.Kind.NOTE, actor, note=_("Bilan à compléter : %(note)s") % {"note": report.review_note}
        )
        _notify_holders(
            initiative, _("Le bilan de « %(title)s » est à compléter.") % {"title": initiative.title}, actor
        )
    audit(actor, "initiatives.report_review", initiative, validated=validate)
    return report


# --- the report as a PDF ----------------------------------------------------------------------


def report_pdf(report: ClosingReport) -> bytes:
    initiative = report.initiative
    city = initiative.territory.root().name
    title = _("Bilan de projet — %(title)s") % {"title": initiative.title}
    styles = getSampleStyleSheet()
    h1 = ParagraphStyle("h1", parent=styles["Title"], fontSize=17)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], spaceBefore=10)
    normal = ParagraphStyle("n", parent=styles["BodyText"], fontSize=10.5, leading=14)

    def para(text: str, style: ParagraphStyle = normal) -> Any:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    receipts = list(initiative.attachments.filter(kind=Attachment.Kind.RECEIPT))
    story: list[Any] = [
        para(city, styles["Heading3"]),
        para(title, h1),
        para(
            _("Initiative habitante, %(quartier)s — %(state)s")
            % {"quartier": initiative.territory.name, "state": report.get_state_display()}
        ),
        para(_("Ce qui a été fait"), h2),
        para(report.done),
        para(_("Participant·es"), h2),
        para(
            _("%(n)d personnes.") % {"n": report.participants}
            + (f" {report.participants_note}" if report.participants_note else "")
        ),
        para(_("Argent"), h2),
        para(
            _(
                "Aide accordée : %(granted)s €. Dépensé : %(spent)s €. "
                "Justificatifs joints : %(count)d pour %(total)s €."
            )
            % {
                "granted": report.granted,
                "spent": report.spent,
                "count": len(receipts),
                "total": sum((r.amount or ZERO for r in receipts), ZERO),
            }
        ),
    ]
    if report.difference_note:
        story.append(para(report.difference_note))
    if receipts:
        story.append(para(_("Justificatifs"), h2))
        for receipt in receipts:
            amount = f" — {receipt.amount} €" if receipt.amount is not None else ""
            story.append(para(f"• {receipt.label}{amount}"))
    story.append(Spacer(1, 12))
    story.append(
        para(
            _("Déposé le %(day)s.")
            % {"day": formatting.date_format(timezone.localtime(report.filed_at).date(), "j F Y")}
        )
    )
    if report.state == ClosingReport.State.VALIDATED and report.reviewed_at is not None:
        story.append(
            para(
                _("Validé le %(day)s par la Ville.")
                % {"day": formatting.date_format(timezone.localtime(report.reviewed_at).date(), "j F Y")}
            )
        )
    return a4_pdf(story, title=title, author=city)
