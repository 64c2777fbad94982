"""Indexes the ballot path wrote and no query read (issue 15, voting day's PostgreSQL CPU).

The locator and the receipt stay unique (now as named constraints, without the second
``varchar_pattern_ops`` index PostgreSQL gets for a ``unique=True`` text field: both are only
ever matched exactly); a choice's ballot is found through the unique (ballot, project) index,
which starts with it. Every guarantee stays: only redundant indexes go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0007_project_cover"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ballot",
            name="locator",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="receipt",
            field=models.CharField(max_length=32),
        ),
        migrations.AlterField(
            model_name="ballotchoice",
            name="ballot",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="choices", to="budgets.ballot"
            ),
        ),
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.UniqueConstraint(fields=("locator",), name="one_ballot_per_locator"),
        ),
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.UniqueConstraint(fields=("receipt",), name="one_ballot_per_receipt"),
        ),
    ]
