"""Ballot secrecy and one quartier per voter (issue 8, items 2 and 3), schema part 1.

Random primary keys for voter records, ballots and ballot choices; voter records get their
budget and scope (filled by 0004); ballots lose their channel and paper sheets their link to
the ballot; replaced receipts get a table."""

import django.db.models.deletion
from django.db import migrations, models

import apps.budgets.models


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0002_projects"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="voterrecord", name="one_vote_per_person"),
        migrations.RemoveConstraint(model_name="voterrecord", name="one_paper_vote_per_person"),
        migrations.AddField(
            model_name="voterrecord",
            name="budget",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="voter_records",
                to="budgets.budget",
            ),
        ),
        migrations.AddField(
            model_name="voterrecord",
            name="scope",
            field=models.CharField(
                choices=[("city", "Toute la ville"), ("quartier", "Quartier")], default="city", max_length=8
            ),
            preserve_default=False,
        ),
        migrations.RemoveField(model_name="papersheet", name="ballot"),
        migrations.RemoveField(model_name="ballot", name="channel"),
        migrations.AlterField(
            model_name="voterrecord",
            name="id",
            field=models.BigIntegerField(
                default=apps.budgets.models.random_key, editable=False, primary_key=True, serialize=False
            ),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="id",
            field=models.BigIntegerField(
                default=apps.budgets.models.random_key, editable=False, primary_key=True, serialize=False
            ),
        ),
        migrations.AlterField(
            model_name="ballotchoice",
            name="id",
            field=models.BigIntegerField(
                default=apps.budgets.models.random_key, editable=False, primary_key=True, serialize=False
            ),
        ),
        migrations.CreateModel(
            name="ReplacedReceipt",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        default=apps.budgets.models.random_key, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("receipt", models.CharField(max_length=32, unique=True)),
                (
                    "budget",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="budgets.budget"
                    ),
                ),
            ],
            options={"verbose_name": "reçu remplacé", "verbose_name_plural": "reçus remplacés"},
        ),
    ]
