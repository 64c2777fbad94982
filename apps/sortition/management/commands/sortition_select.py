"""``manage.py sortition_select``: select a panel from CSV files with the sortition engine.

Only uses ``apps.sortition.engine`` (no database). With ``--json`` it prints exactly one JSON
object ``{"selected": [ids], "probabilities": {id: p}, "seconds": s}`` on stdout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.sortition.engine import (
    InfeasibleQuotas,
    PoolError,
    achieved_counts,
    draw_panel,
    legacy,
    leximin,
    read_pool,
)


class Command(BaseCommand):
    help = "Tire au sort un panel stratifié (leximin ou méthode historique) à partir de deux fichiers CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", required=True, help="fichier des volontaires (CSV, une ligne par personne)")
        parser.add_argument("--categories", required=True, help="fichier des quotas (CSV category,feature,min,max)")
        parser.add_argument("--panel-size", type=int, required=True, help="nombre de personnes à tirer")
        parser.add_argument("--seed", required=True, help="graine publique du tirage (chaîne quelconque)")
        parser.add_argument("--algorithm", choices=("leximin", "legacy"), default="leximin")
        parser.add_argument("--id-column", default=None, help="colonne des identifiants (sinon détectée)")
        parser.add_argument("--legacy-runs", type=int, default=10_000, help="essais pour estimer la méthode historique")
        parser.add_argument("--time-limit", type=float, default=None, help="limite de calcul en secondes (leximin)")
        parser.add_argument("--json", action="store_true", help="sortie JSON sur une ligne")

    def handle(self, *args: Any, **options: Any) -> None:
        people, categories = Path(options["people"]), Path(options["categories"])
        panel_size: int = options["panel_size"]
        seed: str = options["seed"]
        try:
            pool = read_pool(
                people,
                categories,
                id_column=options["id_column"],
                people_name=people.name,
                categories_name=categories.name,
                panel_size=panel_size,
            )
            if options["algorithm"] == "legacy":
                distribution = legacy(pool, panel_size, seed=seed, runs=options["legacy_runs"])
            else:
                distribution = leximin(pool, panel_size, time_limit=options["time_limit"])
        except OSError as error:
            raise CommandError(f"Lecture impossible : {error}") from error
        except (PoolError, InfeasibleQuotas) as error:
            raise CommandError(str(error)) from error
        except TimeoutError as error:
            raise CommandError(str(error)) from error
        panel = draw_panel(distribution, seed)
        if options["json"]:
            payload = {
                "selected": list(panel),
                "probabilities": distribution.probabilities,
                "seconds": distribution.seconds,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        counts = achieved_counts(pool, panel)
        lines = [
            f"Algorithme : {distribution.algorithm} — calcul en {distribution.seconds:.2f} s",
            f"Vivier : {len(pool.ids)} personnes ; panel : {panel_size} personnes ; graine : « {seed} »",
            f"Probabilité de sélection minimale : {distribution.min_probability():.4f} "
            f"(moyenne {panel_size / len(pool.ids):.4f})",
            "Quotas (min ≤ obtenu ≤ max) :",
        ]
        lines += [
            f"  {q.category} : {q.feature} — {q.min} ≤ {counts[(q.category, q.feature)]} ≤ {q.max}" for q in pool.quotas
        ]
        lines.append("Personnes tirées : " + ", ".join(panel))
        self.stdout.write("\n".join(lines))
