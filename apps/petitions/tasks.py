"""Tasks of petitions (huey): the invitation of an agora's stakeholder, by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task


def _subject(text: str) -> str:
    # Email headers must not contain line breaks (Django raises BadHeaderError).
    return " ".join(text.split())[:200]


def invitation_text(stakeholder_id: int) -> tuple[str, str, str] | None:
    """(subject, body, address) of the invitation, or None when there is nobody to write to."""
    from apps.petitions.models import Stakeholder

    stakeholder = Stakeholder.objects.select_related("agora__territory").filter(pk=stakeholder_id).first()
    if stakeholder is None or not stakeholder.email:
        return None
    agora = stakeholder.agora
    with translation.override("fr"):
        subject = _subject(_("Invitation à l'agora éphémère « %(title)s »") % {"title": agora.title})
        lines = [
            _("Bonjour,"),
            _(
                "La Ville vous invite, au titre de %(who)s, à l'agora éphémère « %(title)s » (%(territory)s) : "
                "quelques séances pour chercher ensemble une solution."
            )
            % {"who": stakeholder.public_label, "title": agora.title, "territory": agora.territory.name},
            _("Le problème à résoudre :"),
            agora.problem,
        ]
        sittings = list(agora.sittings.filter(starts_at__gte=timezone.now()).order_by("starts_at", "pk"))
        if sittings:
            lines.append(_("Les séances prévues :"))
            for sitting in sittings:
                when = timezone.localtime(sitting.starts_at)
                lines.append(f"- {when:%d/%m/%Y %H:%M} — {sitting.title} — {sitting.place}")
        else:
            lines.append(_("Les dates des séances vous seront envoyées dès qu'elles seront fixées."))
        if agora.is_published:
            lines.append(
                _("La page publique de l'agora : %(url)s") % {"url": settings.SITE_URL + agora.get_absolute_url()}
            )
        lines.append(_("Pour répondre, écrivez au service de la participation citoyenne de la Ville."))
    return subject, "\n\n".join(lines), stakeholder.email


@db_task()
def send_invitation(stakeholder_id: int) -> bool:
    message = invitation_text(stakeholder_id)
    if message is None:
        return False
    subject, body, address = message
    send_mail(subject, body, None, [address])
    return True
