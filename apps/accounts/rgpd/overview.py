"""What the "Mes données" page shows before the download: the account's fields and the
number of records of each kind, all under human labels (never a column name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.accounts.rgpd.export import account_export_data

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from apps.accounts.models import User

SECTION_LABELS: dict[str, _StrOrPromise] = {
    "proposals": _("Propositions"),
    "comments": _("Commentaires"),
    "supports": _("Soutiens"),
    "reports": _("Signalements de commentaires"),
    "follows": _("Abonnements"),
    "notifications": _("Notifications"),
    "role_assignments": _("Rôles (agent·e, élu·e, modération, administration)"),
    "budget_projects": _("Projets de budget participatif (porteur·se ou co-porteur·se)"),
    "budget_invitations": _("Invitations à co-porter un projet"),
    "budget_comments": _("Commentaires de projets"),
    "budget_votes": _("Votes du budget participatif (où vous avez voté, jamais pour quoi)"),
    "volunteer_applications": _("Candidatures aux tirages au sort"),
    "sortition_pools": _("Listes de tirage au sort où vous figurez"),
    "panel_memberships": _("Panels d'ateliers citoyens (présences et votes compris)"),
    "recommendation_revisions": _("Versions de recommandations rédigées"),
    "council_memberships": _("Mandats en conseil citoyen (présences comprises)"),
    "staff_records": _("Actes faits dans un rôle (réponses, notes, saisies…)"),
    "audit_entries": _("Entrées du journal d'audit vous concernant"),
}

# Stratification questions are named by the city's quota file, often as column names.
QUESTION_LABELS: dict[str, _StrOrPromise] = {
    "tranche_age": _("Tranche d'âge"),
    "age": _("Âge"),
    "genre": _("Genre"),
    "sexe": _("Sexe"),
    "quartier": _("Quartier"),
    "prenom": _("Prénom"),
    "nom": _("Nom"),
    "courriel": _("Adresse électronique"),
    "telephone": _("Téléphone"),
    "csp": _("Catégorie socioprofessionnelle"),
    "diplome": _("Diplôme"),
    "qpv": _("Habite un quartier prioritaire"),
}


def question_label(key: str) -> str:
    """« tranche_age » → « Tranche d'âge »; an unknown key loses its underscores."""
    known = QUESTION_LABELS.get(key.strip().lower())
    if known is not None:
        return str(known)
    words = key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class Overview:
    account: list[tuple[str, str]]
    sections: list[tuple[str, int]]
    applications: list[tuple[str, list[tuple[str, str]]]]


def export_overview(user: User) -> Overview:
    data: dict[str, Any] = account_export_data(user)
    none = str(_("non renseigné"))
    account = [
        (str(_("Adresse électronique")), user.email),
        (str(_("Nom affiché")), user.display_name),
        (str(_("Quartier de résidence")), user.home_territory.name if user.home_territory else none),
        (str(_("Date de naissance")), date_format(user.birth_date, "SHORT_DATE_FORMAT") if user.birth_date else none),
        (str(_("Niveau de vérification du compte")), str(user.get_verification_display())),
        (str(_("Tranche d'âge")), str(user.get_age_band_display()) if user.age_band else none),
        (str(_("Genre")), str(user.get_gender_display()) if user.gender else none),
        (str(_("Courriels de notification")), str(user.get_email_frequency_display())),
    ]
    sections = [(str(label), len(data[key])) for key, label in SECTION_LABELS.items() if data.get(key)]
    applications = [
        (row["draw"], [(question_label(k), str(v)) for k, v in row["answers"].items()])
        for row in data["volunteer_applications"]
    ]
    return Overview(account=account, sections=sections, applications=applications)
