"""One vote per person, budget and scope (the city-wide envelope, or one quartier envelope)."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0004_ballot_secrecy_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="voterrecord",
            name="voted_on",
            field=models.DateField(default=datetime.date.today, editable=False),
        ),
        migrations.AlterField(
            model_name="voterrecord",
            name="budget",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="voter_records", to="budgets.budget"
            ),
        ),
        migrations.AddConstraint(
            model_name="voterrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("budget", "user", "scope"),
                name="one_vote_per_person_and_scope",
            ),
        ),
        migrations.AddConstraint(
            model_name="voterrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("paper_identity", ""), _negated=True),
                fields=("budget", "paper_identity", "scope"),
                name="one_paper_vote_per_person_and_scope",
            ),
        ),
    ]
