"""``python manage.py budget_recount <process-slug>``: count again from the stored ballots.

Prints, per envelope, the published totals and the recount side by side, and exits with
status 1 when they differ (or when nothing was published yet). Writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.budgets.models import Budget
from apps.budgets.voting.results import recount


class Command(BaseCommand):
    help = "Recompte un budget participatif à partir des bulletins enregistrés et compare aux résultats publiés."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="identifiant (slug) de la démarche du budget")

    def handle(self, *args: Any, **options: Any) -> None:
        budget = Budget.objects.select_related("process").filter(process__slug=options["slug"]).first()
        if budget is None:
            raise CommandError(f"Aucun budget participatif pour la démarche « {options['slug']} ».")
        differ = False
        for item in recount(budget):
            published = item.published
            self.stdout.write(f"== {item.envelope} (enveloppe {item.envelope.pk}, {item.envelope.amount} €)")
            if published is None:
                self.stdout.write("   publié : aucun résultat enregistré")
                differ = True
            else:
                self.stdout.write(
                    f"   publié   : {published.ballot_count} bulletins, retenus {published.selected}, "
                    f"{published.spent} €"
                )
            self.stdout.write(
                f"   recompte : {item.recount['ballot_count']} bulletins, retenus {item.recount['selected']}, "
                f"{item.recount['spent']} €"
            )
            published_votes = item.published_votes
            for pid, votes in sorted(item.votes.items(), key=lambda kv: int(kv[0])):
                before = published_votes.get(pid, "—")
                mark = "" if before == votes else "   ← différent"
                self.stdout.write(f"     projet {pid}: publié {before} / recompte {votes}{mark}")
            if item.matches:
                self.stdout.write(self.style.SUCCESS("   identique"))
            else:
                differ = True
                self.stdout.write(self.style.ERROR("   DIFFÉRENT"))
        if budget.results_published_at is None:
            self.stdout.write(self.style.WARNING("Les résultats ne sont pas publiés."))
            differ = True
        if differ:
            raise CommandError("Le recompte diffère des résultats publiés.", returncode=1)
        self.stdout.write(self.style.SUCCESS("Le recompte est identique aux résultats publiés."))
