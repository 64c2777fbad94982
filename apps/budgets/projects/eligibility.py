"""The documented eligibility rules of a budget project and the reason templates of the
technical analysis. The services record which rules a project meets (``Project.eligibility``)
and the public page shows them with the reasoned opinion."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Checked by the services; the cost rule is also computed from the city's estimate.
WITHIN_ENVELOPE = "within_envelope"
RULES: tuple[tuple[str, object], ...] = (
    ("city_competence", _("Relève des compétences de la Ville")),
    ("investment", _("Est une dépense d'investissement (pas de frais de fonctionnement durables)")),
    ("public_interest", _("Est d'intérêt général et ouvert à toutes et tous")),
    ("public_place", _("Se situe sur l'espace public ou dans un équipement de la Ville")),
    ("no_conflict", _("Ne contredit pas un projet déjà engagé par la Ville")),
    (WITHIN_ENVELOPE, _("Son coût tient dans l'enveloppe du quartier")),
)
RULE_CODES = tuple(code for code, _label in RULES)
RULE_LABELS = dict(RULES)

# Reason templates offered in the bulk tools (the agent may complete or replace the text).
REASON_TEMPLATES: tuple[tuple[str, object], ...] = (
    ("competence", _("Ce projet ne relève pas des compétences de la Ville (il dépend d'un autre acteur public).")),
    (
        "functioning",
        _("Ce projet demande surtout des frais de fonctionnement durables, que le budget participatif ne finance pas."),
    ),
    ("cost", _("Le coût estimé par les services dépasse l'enveloppe du quartier.")),
    ("private", _("Ce projet se situe sur un terrain privé ou ne profite pas à toutes et tous.")),
    ("already", _("Ce projet est déjà programmé par la Ville : il sera réalisé sans passer par le vote.")),
)


def reason_text(code: str) -> str:
    return next((str(text) for key, text in REASON_TEMPLATES if key == code), "")
