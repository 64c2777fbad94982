"""How a synthesis was made and what it cannot do, in plain French: published with it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.consultations.synthesis.models import Synthesis


def method(synthesis: Synthesis) -> list[str]:
    n_themes = synthesis.themes.count()
    paragraphs = [
        ngettext(
            "Cette synthèse regroupe %(n)d contribution écrite (affirmations proposées dans les conversations "
            "et réponses libres aux questionnaires).",
            "Cette synthèse regroupe %(n)d contributions écrites (affirmations proposées dans les "
            "conversations et réponses libres aux questionnaires).",
            synthesis.contributions,
        )
        % {"n": synthesis.contributions},
        _(
            "Méthode : un programme, exécuté sur les serveurs de la ville sans service extérieur, retire les "
            "mots vides (« le », « pour », « faut »…), ramène chaque mot à sa racine (« arbres » et « arbre » "
            "comptent pour un), pèse les mots selon leur rareté, puis rapproche les contributions qui emploient "
            "les mêmes mots ou des mots souvent employés ensemble. Il en sort %(n)d thèmes ; pour chacun, les "
            "mots-clés sont ceux qui y reviennent bien plus qu'ailleurs, et les citations sont les contributions "
            "les plus proches du cœur du thème."
        )
        % {"n": n_themes},
        _(
            "Relecture : des agents de la ville ont relu les thèmes, les ont renommés, résumés ou fusionnés "
            "avant publication. Chaque thème renvoie à toutes les contributions qu'il résume."
        ),
        _(
            "Limites : le programme ne comprend pas le sens des phrases. Il ne voit ni l'ironie ni la négation "
            "(« plus de voitures » et « moins de voitures » peuvent se retrouver ensemble), il ne rapproche pas "
            "deux synonymes qui ne sont jamais employés ensemble, et il range chaque contribution dans un seul "
            "thème même quand elle en aborde plusieurs. Le nombre de contributions d'un thème ne mesure pas "
            "l'opinion de toute la population : seules les personnes qui ont écrit sont comptées."
        ),
    ]
    if synthesis.unclassified:
        paragraphs.append(
            ngettext(
                "%(n)d contribution trop courte ou sans mot significatif n'a été rangée dans aucun thème.",
                "%(n)d contributions trop courtes ou sans mot significatif n'ont été rangées dans aucun thème.",
                synthesis.unclassified,
            )
            % {"n": synthesis.unclassified}
        )
    return paragraphs
