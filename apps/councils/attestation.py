"""Attestation of participation of a council member (PDF), built from the meetings attended.
The layout is the shared one of :mod:`apps.sittings.attestation`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core import formatting
from apps.councils.models import Membership
from apps.councils.selectors import attended_sessions
from apps.sittings.attestation import attestation_pdf


def membership_attestation(membership: Membership) -> bytes:
    council = membership.council
    end = membership.ended_on or membership.term_end
    body = _(
        "a siégé au sein de « %(council)s » (collège : %(college)s) du %(start)s au %(end)s "
        "et a participé aux réunions suivantes."
    ) % {
        "council": council.name,
        "college": membership.get_college_display(),
        "start": formatting.date_format(membership.term_start, "j F Y"),
        "end": formatting.date_format(end, "j F Y"),
    }
    return attestation_pdf(
        full_name=membership.full_name or membership.public_name,
        body=body,
        sessions=attended_sessions(membership),
        issued_by=_("Direction du dialogue citoyen"),
        city=council.territory.root().name,
        title=_("Attestation de participation"),
    )
