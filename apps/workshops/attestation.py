"""The attestation of a workshop panel member: the sessions attended, the hours and the skills
practised. The layout is the shared one of :mod:`apps.sittings.attestation`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from apps.sittings.attestation import attestation_pdf, hours_label, sitting_lines

if TYPE_CHECKING:
    from apps.workshops.models import PanelMember


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
    body = _(
        "a participé en tant que membre du panel à l'atelier citoyen « %(title)s », organisé par la Ville "
        "dans le cadre de la démarche « %(process)s »."
    ) % {"title": workshop.title, "process": workshop.process.title}
    body += "\n\n" + _("Question posée au panel : %(question)s") % {"question": workshop.question}
    body += "\n\n" + ngettext(
        "Participation : %(count)s séance, soit %(hours)s heures de travail collectif.",
        "Participation : %(count)s séances, soit %(hours)s heures de travail collectif.",
        len(sessions),
    ) % {"count": len(sessions), "hours": hours_label(hours)}
    body += "\n\n" + _("Compétences mises en œuvre (pour une démarche de validation d'acquis) : %(skills)s.") % {
        "skills": ", ".join(str(_(skill)) for skill in SKILLS)
    }
    return attestation_pdf(
        full_name=member.full_name or member.public_name,
        body=body,
        sessions=sitting_lines(sessions, with_hours=True),
        issued_by=_("Pour la Ville, la direction du dialogue citoyen — %(name)s")
        % {"name": workshop.answerer.display_name},
        city=workshop.process.territory.root().name,
    )
