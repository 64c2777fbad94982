"""What the "Mes données" page shows before the download: the account's fields and the
number of records of each kind, all under human labels (never a column name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.accounts.rgpd.export import account_export_data
from apps.core.registry import all_manifests

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from apps.accounts.models import User


def section_labels() -> dict[str, _StrOrPromise]:
    """The human label of each export section, as every manifest declares them."""
    labels: dict[str, _StrOrPromise] = {}
    for manifest in all_manifests():
        if manifest.personal_data is not None:
            labels.update(manifest.personal_data.labels)
    return labels


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
    labels = section_labels()
    sections = [(str(labels[key]), len(rows)) for key, rows in data.items() if key in labels and rows]
    # Answers to calls for volunteers are shown question by question (sortition's section).
    applications = [
        (row["draw"], [(question_label(k), str(v)) for k, v in row["answers"].items()])
        for row in data.get("volunteer_applications", [])
    ]
    return Overview(account=account, sections=sections, applications=applications)
