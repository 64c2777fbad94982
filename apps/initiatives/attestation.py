"""Attestation of the time a person gave to a residents' initiative (PDF): the hours day by day
and the skills practised. The layout is the shared one of :mod:`apps.sittings.attestation`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from apps.initiatives.models import Initiative, TimeGiven
from apps.sittings.attestation import attestation_pdf, hours_label

if TYPE_CHECKING:
    from apps.accounts.models import User


def time_entries(person: User, initiative: Initiative) -> list[TimeGiven]:
    return list(TimeGiven.objects.filter(person=person, initiative=initiative).order_by("day", "pk"))


def skills_practised(entries: list[TimeGiven]) -> list[str]:
    """Each skill once, in the order first practised, compared without case."""
    seen: dict[str, str] = {}
    for entry in entries:
        for skill in entry.skill_list():
            seen.setdefault(skill.casefold(), skill)
    return list(seen.values())


def time_attestation(person: User, initiative: Initiative) -> bytes:
    entries = time_entries(person, initiative)
    total = sum((entry.hours for entry in entries), Decimal(0))
    body = _(
        "a donné %(hours)s heures de son temps à l'initiative habitante « %(title)s » (%(quartier)s), "
        "au fil des journées listées ci-dessous."
    ) % {"hours": hours_label(total), "title": initiative.title, "quartier": initiative.territory.name}
    skills = skills_practised(entries)
    if skills:
        body += "\n\n" + _("Savoir-faire pratiqués : %(skills)s.") % {"skills": ", ".join(skills)}
    return attestation_pdf(
        full_name=person.display_name,
        body=body,
        sessions=[(entry.day, f"{entry.activity} ({hours_label(entry.hours)} h)") for entry in entries],
        issued_by=_("Direction du dialogue citoyen"),
        city=initiative.territory.root().name,
        title=_("Attestation de temps donné et de savoir-faire"),
        sessions_heading=_("Journées où la personne a donné de son temps :"),
    )
