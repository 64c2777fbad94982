"""``manage.py opinion_map --comments comments.csv --votes votes.csv [--json]``.

Computes the opinion map of a Polis openData conversation in process (for benchmarks and
audits). ``--json`` prints one object: ``{"participants": N, "in_conversation": n, "groups":
[[voter-id, ...], ...], "consensus": [comment-id, ...], "representative": [[comment-id, ...],
...], "silhouettes": {k: score}, "seconds": ...}``. ``--comments`` is optional: without it every
voted statement counts (none is moderated out); with it, the statements moderated out after votes
count as Polis counts them (``VoteMatrix.withdrawn``). ``--polis-start`` starts the groups' k-means where
Polis does only (see ``bench/bench_polis_fidelity.py``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.consultations.opinion import compute_map
from apps.consultations.polis_csv import PolisFormatError, read_comments, read_votes


class Command(BaseCommand):
    help = "Carte des opinions (méthode de Polis) d'une conversation au format openData de Polis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--votes", required=True, type=Path)
        parser.add_argument("--comments", type=Path)
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--polis-start",
            action="store_true",
            help="Groupes par k-means lancé uniquement depuis le départ de Polis (au plus près des groupes de Polis).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            comments = None
            if options["comments"] is not None:
                with options["comments"].open(encoding="utf-8", newline="") as handle:
                    comments = read_comments(handle)
            with options["votes"].open(encoding="utf-8", newline="") as handle:
                votes = read_votes(handle)
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from None
        except (PolisFormatError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        opinion = compute_map(votes.matrix(comments), polis_start=options["polis_start"])
        groups = [sorted(int(p) for p in members) for members in opinion.group_members()]
        consensus = [opinion.statement_id(j) for j in opinion.consensus.agreed]
        seconds = round(time.perf_counter() - started, 3)
        result = {
            "participants": int(opinion.matrix.shape[0]),
            "in_conversation": int(opinion.in_conversation.sum()),
            "groups": groups,
            "consensus": consensus,
            "representative": [[opinion.statement_id(r.statement) for r in group] for group in opinion.representative],
            "silhouettes": {str(k): round(v, 6) for k, v in opinion.silhouettes.items()},
            "seconds": seconds,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"{result['participants']} participants, {result['in_conversation']} dans la conversation, "
            f"{len(groups)} groupes ({', '.join(str(len(g)) for g in groups)}), "
            f"{len(consensus)} points de consensus, {seconds} s"
        )
