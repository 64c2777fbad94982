"""Vérifier un tirage au sort à partir des fichiers publiés et de la graine.

Utilisation (sans l'application web, avec Python, numpy et highspy) ::

    python -m apps.sortition.engine.verify rapport.json --people liste.csv --categories quotas.csv

Le programme affiche « Tirage vérifié » et se termine avec le code 0 quand tout concorde, sinon il
liste les problèmes et se termine avec le code 1.

Ce qui est vérifié
==================

1. Les empreintes SHA-256 des deux fichiers (octets bruts, tels que téléchargés) sont celles du
   rapport : ce sont bien les fichiers utilisés le jour du tirage.
2. Les quotas du rapport sont ceux du fichier des quotas.
3. La loterie publiée (« distribution ») est une vraie loterie : chaque composition de panel
   respecte tous les quotas, les poids sont positifs et leur somme vaut 1.
4. Les probabilités de sélection publiées sont celles de la loterie publiée et, pour l'algorithme
   « leximin », celles d'un calcul leximin refait à neuf (à 10⁻⁶ près : ce vecteur de
   probabilités est unique, même si plusieurs loteries y mènent).
5. La graine donne exactement le panel publié, avec la procédure ci-dessous.

Procédure de tirage (reproductible à la main ou dans un autre langage)
======================================================================

Les personnes qui ont les mêmes réponses dans toutes les catégories forment un *type*. Les types
sont rangés dans l'ordre lexicographique de leurs réponses (points de code Unicode, catégories dans
l'ordre du fichier des quotas). La loterie est une liste de *compositions* (combien de personnes
de chaque type le panel prend) avec leur poids ``w``, rangées dans l'ordre lexicographique.

1. Chaque poids devient un entier : ``W = round(w × 10¹²)``. On note ``T`` la somme des ``W``.
2. On forme le texte JSON ``D`` (UTF-8, clés triées, séparateurs ``,`` et ``:`` sans espace) de
   l'objet ``{"compositions": [...], "panel_size": k, "sizes": [taille de chaque type],
   "types": [[réponses du type], ...], "weights": [W, ...]}`` — c'est ce que publie le rapport
   dans ``distribution``.
3. On calcule ``H = SHA-256(graine + "\\n" + D)``, lu comme un entier (hexadécimal), et
   ``ticket = H mod T``. La composition choisie est la première dont le cumul des poids
   ``W`` dépasse strictement ``ticket``.
4. Dans chaque type, les membres sont rangés selon ``SHA-256(graine + "\\n" + identifiant)`` en
   hexadécimal (puis selon l'identifiant en cas d'égalité) ; on prend les premiers, autant que
   la composition en demande pour ce type.
5. Le panel est l'ensemble de ces personnes. En cas de désistement, les remplaçants d'un même
   type sont les suivants dans ce même ordre.

Chronologie de la graine (rapports au format « archipel-sortition-audit/2 »)
============================================================================

La graine est le résultat d'un événement public *à venir* au moment de l'annonce du tirage (par
exemple les numéros d'un tirage de loterie nationale), éventuellement suivi de `` + `` et d'un
secret de l'agent dont l'empreinte SHA-256 a été publiée à l'annonce. Le programme vérifie, dans
la partie ``timeline`` du rapport :

6. l'annonce précède la date à partir de laquelle le résultat de l'événement est connu, et le
   tirage la suit ;
7. l'empreinte de la liste publiée à l'annonce est celle du fichier, et l'empreinte de la loterie
   publiée à l'annonce est celle du texte ``D`` ci-dessus ;
8. le secret révélé a bien l'empreinte publiée à l'annonce (``printf %s secret | sha256sum``) ;
9. la graine est le résultat de l'événement (suivi du secret, s'il y en a un).

Reste à vérifier soi-même, auprès de l'organisateur de l'événement, que son résultat publié est
celui du rapport. Les rapports au format « /1 » (tirages faits avant cette procédure) n'ont pas de
chronologie : leur graine a été saisie par l'agent, le programme le signale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from apps.sortition.engine.model import PoolError
from apps.sortition.engine.pool import read_pool
from apps.sortition.engine.report import verify_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m apps.sortition.engine.verify",
        description="Vérifie un tirage au sort à partir du rapport, des fichiers publiés et de la graine.",
    )
    parser.add_argument("report", type=Path, help="rapport d'audit (JSON)")
    parser.add_argument("--people", type=Path, required=True, help="liste des personnes (CSV)")
    parser.add_argument("--categories", type=Path, required=True, help="fichier des quotas (CSV)")
    parser.add_argument("--id-column", default=None, help="colonne des identifiants, si besoin")
    args = parser.parse_args(argv)
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        pool = read_pool(
            args.people,
            args.categories,
            id_column=args.id_column,
            people_name=args.people.name,
            categories_name=args.categories.name,
        )
    except (OSError, json.JSONDecodeError) as error:
        print(f"Lecture impossible : {error}")
        return 1
    except PoolError as error:
        print("Fichiers invalides :")
        print(error)
        return 1
    problems = verify_report(report, pool)
    if problems:
        print("Tirage NON vérifié :")
        for problem in problems:
            print(f"- {problem}")
        return 1
    print(
        f"Tirage vérifié : algorithme {report['algorithm']}, graine « {report['seed']} », "
        f"panel de {report['panel_size']} personnes parmi {report['pool_size']}."
    )
    timeline = report.get("timeline")
    if isinstance(timeline, dict):
        print(
            f"Chronologie vérifiée : annonce le {timeline['announced_at']}, résultat de l'événement connu à partir "
            f"du {timeline['event_at']}, tirage le {timeline['drawn_at']}."
        )
        print(
            f"Reste à vérifier vous-même que le résultat publié de « {timeline['event']} » est bien "
            f"« {timeline['event_result']} »."
        )
    else:
        print(
            "Attention : ce rapport ne contient pas de chronologie (ancienne procédure). La graine a été saisie "
            "par l'agent : rien ne prouve qu'elle n'a pas été choisie."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
