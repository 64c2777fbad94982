"""Ballot secrecy and one quartier per voter, data part: existing rows (the demo has ballots).

- voter records get their budget and scope from their envelope; an account that voted in
  several quartier envelopes of one budget (the hole this closes) keeps one record with its
  account, the others are detached from it (their ballots stay counted: nobody can tell which);
- voter records, ballots and ballot choices get random keys instead of the sequence numbers
  they had (which paired the n-th voter with the n-th ballot);
- confirmed paper sheets forget their choices and digests (already counted by their ballot).

The functions take the app registry so that a test can run them on historical models."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import migrations

from apps.budgets.models import random_key


def fill_budget_and_scope(apps: Any, schema_editor: Any) -> None:
    VoterRecord = apps.get_model("budgets", "VoterRecord")
    Envelope = apps.get_model("budgets", "Envelope")
    for envelope in Envelope.objects.all().only("pk", "budget_id", "territory_id"):
        scope = "city" if envelope.territory_id is None else "quartier"
        VoterRecord.objects.filter(envelope_id=envelope.pk).update(budget_id=envelope.budget_id, scope=scope)
    seen: set[tuple[int, int, str]] = set()
    rows = VoterRecord.objects.filter(user__isnull=False).order_by("pk")
    for pk, budget_id, user_id, scope in rows.values_list("pk", "budget_id", "user_id", "scope"):
        if (budget_id, user_id, scope) in seen:
            VoterRecord.objects.filter(pk=pk).update(user=None, paper_identity=secrets.token_hex(32))
        seen.add((budget_id, user_id, scope))


def random_keys(apps: Any, schema_editor: Any) -> None:
    """New random keys; children first, then the parent (foreign keys are checked at commit
    on PostgreSQL, and SQLite runs migrations with its checks deferred too)."""
    VoterRecord = apps.get_model("budgets", "VoterRecord")
    Ballot = apps.get_model("budgets", "Ballot")
    BallotChoice = apps.get_model("budgets", "BallotChoice")
    for pk in list(VoterRecord.objects.values_list("pk", flat=True)):
        VoterRecord.objects.filter(pk=pk).update(id=random_key())
    for pk in list(BallotChoice.objects.values_list("pk", flat=True)):
        BallotChoice.objects.filter(pk=pk).update(id=random_key())
    for pk in list(Ballot.objects.values_list("pk", flat=True)):
        new = random_key()
        BallotChoice.objects.filter(ballot_id=pk).update(ballot_id=new)
        Ballot.objects.filter(pk=pk).update(id=new)


def scrub_confirmed_sheets(apps: Any, schema_editor: Any) -> None:
    PaperSheet = apps.get_model("budgets", "PaperSheet")
    PaperSheet.objects.filter(state="confirmed").update(first_entry={}, second_entry=None)


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0003_ballot_secrecy"),
    ]

    operations = [
        migrations.RunPython(fill_budget_and_scope, migrations.RunPython.noop),
        migrations.RunPython(random_keys, migrations.RunPython.noop),
        migrations.RunPython(scrub_confirmed_sheets, migrations.RunPython.noop),
    ]
